import { PassThrough } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { netnsFileOf, observeProbe, ProbeBusyError, ProbeInputError } from '@hoplens/collector';
import {
  AgentProbeInfoSchema,
  AgentProbeRequestSchema,
  ErrorBodySchema,
  parseIp,
  type AgentProbeRequest,
  type HostMap,
} from '@hoplens/model';
import { bearerOf, tokenMatches } from '../security/bearerToken.ts';
import { RateLimiter } from '../security/rateLimiter.ts';

/** The path a server asks an agent to probe on. */
export const AGENT_PROBE_PATH = '/v1/probe';

export interface AgentProbeOptions {
  /** This machine's hosts: a probe enters none but these namespaces. */
  readonly map: HostMap;
  /** Probes a minute per client (default 6). */
  readonly perMinute?: number;
  /** observeProbe, unless a test watches it. */
  readonly observe?: typeof observeProbe;
}

/**
 * `GET /v1/probe` (what this agent can probe: its hosts and namespaces) and `POST /v1/probe` (watch
 * and, when asked, ping), both behind the agent's token; answered 403 unless the agent was started
 * with --allow-probe (`opts` undefined). A probe is ICMP echo only, from and on namespaces of this
 * host's inventory, bounded by schema, one at a time, rate-limited, and never a shell. The answer
 * streams NDJSON: `{"armed":true}` once the captures and tracepoints are in place (the server pings
 * from another agent only then), then `{"observation":…}` or `{"error":…}`.
 */
export function addAgentProbeRoutes(app: FastifyInstance, token: string, opts: AgentProbeOptions | undefined): void {
  const limiter = new RateLimiter(opts?.perMinute ?? 6, opts?.perMinute ?? 6);
  let running = false;
  const gate = (req: FastifyRequest, reply: FastifyReply): FastifyReply | undefined => {
    if (!tokenMatches(token, bearerOf(req.headers.authorization))) {
      void reply.header('www-authenticate', 'Bearer realm="hoplens-agent"');
      return deny(reply, 401, 'Unauthorized', 'a valid bearer token is required');
    }
    if (!opts) return deny(reply, 403, 'Forbidden', 'probes are off on this agent: start it with --allow-probe');
    return undefined;
  };
  app.get(
    AGENT_PROBE_PATH,
    { schema: { response: { 200: AgentProbeInfoSchema, 401: ErrorBodySchema, 403: ErrorBodySchema } } },
    (req, reply) => {
      const denied = gate(req, reply);
      if (denied || !opts) return denied;
      return {
        hosts: opts.map.hosts.map((h) => ({
          name: h.name,
          netns: [h.root, ...h.netns.map((n) => (typeof n === 'string' ? n : n.name))],
        })),
      };
    },
  );
  app.post(
    AGENT_PROBE_PATH,
    { schema: { body: AgentProbeRequestSchema }, bodyLimit: 64 * 1024 },
    (req: FastifyRequest<{ Body: AgentProbeRequest }>, reply) => {
      const denied = gate(req, reply);
      if (denied || !opts) return denied;
      const body = req.body;
      try {
        if (body.send && !parseIp(body.send.to)) throw new ProbeInputError(`not an IP address: ${body.send.to}`);
        for (const ref of [...(body.send ? [body.send.from] : []), ...body.watch]) netnsFileOf(opts.map, ref);
      } catch (e) {
        if (e instanceof ProbeInputError) return deny(reply, 400, 'Bad Request', e.message);
        throw e;
      }
      if (running) return deny(reply, 409, 'Conflict', 'a probe is running on this agent; try again when it ends');
      const r = limiter.take(req.ip);
      if (!r.ok) {
        void reply.header('retry-after', String(r.retryAfter));
        return deny(reply, 429, 'Too Many Requests', `too many probes; retry in ${r.retryAfter} s`);
      }
      running = true;
      const out = new PassThrough();
      const stop = new AbortController();
      req.raw.on('close', () => stop.abort());
      const line = (v: unknown): void => {
        out.write(`${JSON.stringify(v)}\n`);
      };
      void (opts.observe ?? observeProbe)({
        map: opts.map,
        mark: body.mark,
        watch: body.watch,
        windowMs: body.windowMs,
        signal: stop.signal,
        onArmed: () => line({ armed: true }),
        ...(body.send ? { send: body.send } : {}),
      })
        .then((observation) => line({ observation }))
        .catch((e: unknown) => {
          if (!(e instanceof ProbeInputError)) req.log.error(e);
          line({
            error:
              e instanceof ProbeBusyError || e instanceof ProbeInputError
                ? e.message
                : 'the probe failed on this agent',
          });
        })
        .finally(() => {
          running = false;
          out.end();
        });
      return reply.header('content-type', 'application/x-ndjson').send(out);
    },
  );
}

function deny(reply: FastifyReply, statusCode: number, error: string, message: string): FastifyReply {
  return reply.code(statusCode).send({ statusCode, error, message });
}
