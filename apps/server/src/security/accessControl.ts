import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bearerOf, tokenMatches } from './bearerToken.ts';
import { RateLimiter } from './rateLimiter.ts';

/** Who may do what. */
export interface AccessOptions {
  /** Bearer token for writes (and reads with `authReads`); never logged. */
  readonly token?: string;
  /** Require the token for reads too. */
  readonly authReads?: boolean;
  /**
   * True when the server listens on loopback only. Then writes need no token, but the Host header
   * must name loopback, so a DNS-rebinding page cannot reach the API through the user's browser.
   */
  readonly loopbackOnly: boolean;
  /** Writes per minute and per client address (burst of the same size). */
  readonly writesPerMinute?: number;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/i;

/** Is this listen address loopback only? */
export const isLoopback = (host: string): boolean => /^(localhost|127(?:\.\d{1,3}){3}|::1)$/i.test(host);

/**
 * Access control for the API: Host check on loopback, same-origin check on writes (no CSRF from
 * another site's page), bearer token where required, and a rate limit on writes.
 */
export function addAccessControl(app: FastifyInstance, opts: AccessOptions): void {
  const limiter = new RateLimiter(opts.writesPerMinute ?? 60, opts.writesPerMinute ?? 60);
  app.addHook('onRequest', async (req, reply) => {
    if (opts.loopbackOnly && !LOOPBACK_HOST.test(req.headers.host ?? '')) {
      return deny(reply, 403, 'Forbidden', 'this server answers only to localhost, 127.0.0.1 or [::1]');
    }
    if (!req.url.startsWith('/api/')) return undefined;
    const write = WRITE_METHODS.has(req.method);
    if (write && crossOrigin(req)) return deny(reply, 403, 'Forbidden', 'cross-origin writes are refused');
    const needsToken = write ? opts.token !== undefined || !opts.loopbackOnly : opts.authReads === true;
    if (needsToken) {
      if (opts.token === undefined) {
        return deny(
          reply,
          403,
          'Forbidden',
          'this server is not bound to loopback and has no token: writes are disabled (start it with --token-file)',
        );
      }
      if (!tokenMatches(opts.token, bearerOf(req.headers.authorization))) {
        void reply.header('www-authenticate', 'Bearer realm="hoplens"');
        return deny(reply, 401, 'Unauthorized', 'a valid bearer token is required');
      }
    }
    if (write) {
      const r = limiter.take(req.ip);
      if (!r.ok) {
        void reply.header('retry-after', String(r.retryAfter));
        return deny(reply, 429, 'Too Many Requests', `too many writes; retry in ${r.retryAfter} s`);
      }
    }
    return undefined;
  });
}

/** A browser sends Origin on cross-origin and on same-origin POSTs; it must match the Host. */
function crossOrigin(req: FastifyRequest): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return req.headers['sec-fetch-site'] === 'cross-site';
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true;
  }
}

function deny(reply: FastifyReply, statusCode: number, error: string, message: string): FastifyReply {
  return reply.code(statusCode).send({ statusCode, error, message });
}
