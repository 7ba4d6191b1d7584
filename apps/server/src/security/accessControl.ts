import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { markAuthenticated } from './auditLog.ts';
import { bearerOf, tokenMatches } from './bearerToken.ts';
import { RateLimiter } from './rateLimiter.ts';
import { accessOf, declareAccess } from './routeAccess.ts';

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
  /**
   * Host names (or `name:port`) the Host header may carry, beside loopback's when bound there: off
   * loopback, the names the server is reached by. Unset off loopback: any Host is answered.
   */
  readonly allowedHosts?: readonly string[];
  /** Writes per minute and per client address (burst of the same size). */
  readonly writesPerMinute?: number;
  /** Writes per minute from all clients together: addresses are cheap to rotate. Default 5 × per client. */
  readonly writesPerMinuteTotal?: number;
}

const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/i;

/** Is this listen address loopback only? */
export const isLoopback = (host: string): boolean => /^(localhost|127(?:\.\d{1,3}){3}|::1)$/i.test(host);

/**
 * Access control for the whole app: the Host check, then, by the access of the route matched
 * (never a prefix of the URL, which the router reads decoded): the same-origin check on writes
 * (no CSRF from another site's page), the bearer token where required, and the write rate limits.
 * It runs before the body is read, so an unauthenticated client cannot make the server hold one.
 */
export function addAccessControl(app: FastifyInstance, opts: AccessOptions): void {
  declareAccess(app);
  const perClient = opts.writesPerMinute ?? 60;
  const total = opts.writesPerMinuteTotal ?? perClient * 5;
  const clients = new RateLimiter(perClient, perClient);
  const everyone = new RateLimiter(total, total);
  const allowed = new Set((opts.allowedHosts ?? []).map((h) => h.toLowerCase()));
  const hostAllowed = (host: string): boolean => {
    if (opts.loopbackOnly && LOOPBACK_HOST.test(host)) return true;
    if (allowed.size === 0) return !opts.loopbackOnly;
    const h = host.toLowerCase();
    return allowed.has(h) || allowed.has(h.replace(/:\d+$/, ''));
  };

  app.addHook('onRequest', async (req, reply) => {
    if (!hostAllowed(req.headers.host ?? '')) {
      const names = opts.loopbackOnly ? ['localhost', '127.0.0.1', '[::1]', ...allowed] : [...allowed];
      return deny(req, reply, 403, 'Forbidden', `this server answers only to ${names.join(', ')}`);
    }
    const access = accessOf(req);
    if (access === 'public') return undefined;
    const write = access === 'write';
    if (write && crossOrigin(req)) return deny(req, reply, 403, 'Forbidden', 'cross-origin writes are refused');
    const needsToken = write ? opts.token !== undefined || !opts.loopbackOnly : opts.authReads === true;
    if (needsToken) {
      if (opts.token === undefined) {
        return deny(
          req,
          reply,
          403,
          'Forbidden',
          'this server is not bound to loopback and has no token: writes are disabled (start it with --token-file)',
        );
      }
      if (!tokenMatches(opts.token, bearerOf(req.headers.authorization))) {
        void reply.header('www-authenticate', 'Bearer realm="hoplens"');
        return deny(req, reply, 401, 'Unauthorized', 'a valid bearer token is required');
      }
      markAuthenticated(req);
    }
    if (write) {
      const r = clients.take(req.ip);
      const all = r.ok ? everyone.take('') : r;
      if (!all.ok) {
        void reply.header('retry-after', String(all.retryAfter));
        return deny(req, reply, 429, 'Too Many Requests', `too many writes; retry in ${all.retryAfter} s`);
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

/** Refuses a request; one that came with a body gets its connection closed rather than the body read. */
function deny(
  req: FastifyRequest,
  reply: FastifyReply,
  statusCode: number,
  error: string,
  message: string,
): FastifyReply {
  if (req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined)
    void reply.header('connection', 'close');
  return reply.code(statusCode).send({ statusCode, error, message });
}
