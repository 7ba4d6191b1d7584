import type { IncomingMessage, ServerResponse } from 'node:http';
import { netnsFileOf, observeProbe, ProbeBusyError, ProbeInputError } from '@hoplens/collector';
import { parseIp, type AgentProbeInfo, type AgentProbeRequest, type HostMap } from '@hoplens/model';
import { bearerOf, tokenMatches } from '../security/bearerToken.ts';
import { RateLimiter } from '../security/rateLimiter.ts';
import { SECURITY_HEADERS } from '../security/securityHeaders.ts';
import { sendError as error, sendJson } from './agentHttp.ts';
import { isAgentProbeRequest } from './precompiledAgentChecks.ts';

/** The path a server asks an agent to probe on. */
export const AGENT_PROBE_PATH = '/v1/probe';
/** A probe request is a few watched interfaces: a larger body is not one. */
const MAX_BODY_BYTES = 64 * 1024;

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
export function agentProbeRoutes(
  token: string,
  opts: AgentProbeOptions | undefined,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const limiter = new RateLimiter(opts?.perMinute ?? 6, opts?.perMinute ?? 6);
  let running = false;
  return async (req, res) => {
    if (!tokenMatches(token, bearerOf(req.headers.authorization))) {
      return error(res, 401, 'a valid bearer token is required', {
        'www-authenticate': 'Bearer realm="hoplens-agent"',
      });
    }
    if (!opts) return error(res, 403, 'probes are off on this agent: start it with --allow-probe');
    if (req.method === 'GET') {
      const info: AgentProbeInfo = {
        hosts: opts.map.hosts.map((h) => ({
          name: h.name,
          netns: [h.root, ...h.netns.map((n) => (typeof n === 'string' ? n : n.name))],
        })),
      };
      return sendJson(res, 200, info);
    }
    if (req.method !== 'POST') return error(res, 404, `no route ${req.method} ${AGENT_PROBE_PATH}`);
    let body: AgentProbeRequest;
    try {
      const value: unknown = JSON.parse(await readBody(req));
      if (!isAgentProbeRequest(value))
        return error(res, 400, (await import('./agentRefusals.ts')).agentProbeRequestRefusal(value));
      body = value;
      if (body.send && !parseIp(body.send.to)) throw new ProbeInputError(`not an IP address: ${body.send.to}`);
      for (const ref of [...(body.send ? [body.send.from] : []), ...body.watch]) netnsFileOf(opts.map, ref);
    } catch (e) {
      if (e instanceof BodyTooLarge) return error(res, 413, e.message);
      if (e instanceof ProbeInputError || e instanceof SyntaxError) return error(res, 400, e.message);
      throw e;
    }
    if (running) return error(res, 409, 'a probe is running on this agent; try again when it ends');
    const r = limiter.take(req.socket.remoteAddress ?? '');
    if (!r.ok)
      return error(res, 429, `too many probes; retry in ${r.retryAfter} s`, { 'retry-after': String(r.retryAfter) });
    running = true;
    const stop = new AbortController();
    res.on('close', () => stop.abort());
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': 'application/x-ndjson' });
    const line = (v: unknown): void => {
      res.write(`${JSON.stringify(v)}\n`);
    };
    try {
      const observation = await (opts.observe ?? observeProbe)({
        map: opts.map,
        mark: body.mark,
        watch: body.watch,
        windowMs: body.windowMs,
        signal: stop.signal,
        onArmed: () => line({ armed: true }),
        ...(body.send ? { send: body.send } : {}),
      });
      line({ observation });
    } catch (e) {
      const known = e instanceof ProbeBusyError || e instanceof ProbeInputError;
      line({ error: known ? (e as Error).message : `the probe failed on this agent: ${(e as Error).message}` });
    } finally {
      running = false;
      res.end();
    }
  };
}

class BodyTooLarge extends Error {
  override readonly name = 'BodyTooLarge';
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge(`a probe request is at most ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
