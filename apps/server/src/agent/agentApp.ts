import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { AGENT_INVENTORY_PATH, AGENT_OFPROTO_TRACE_PATH, createDump } from '@hoplens/collector';
import type { Dump, HostInventory } from '@hoplens/model';
import { bearerOf, tokenMatches } from '../security/bearerToken.ts';
import { ofprotoTraceRoute, type AskOvs } from './ofprotoTraceRoute.ts';
import { sendError as error, sendJson as send } from './agentHttp.ts';
import { AGENT_PROBE_PATH, agentProbeRoutes, type AgentProbeOptions } from './agentProbeRoutes.ts';

export interface AgentOptions {
  /** Collects this machine's inventory; called per request, one run at a time. */
  readonly collect: () => Promise<HostInventory[]>;
  /** Every inventory request must present it; an agent never serves without one. */
  readonly token: string;
  readonly https?: { readonly cert: Buffer; readonly key: Buffer };
  /** Asks this machine's Open vSwitch about one packet (ofproto/trace); without it such questions get 404. */
  readonly askOvs?: AskOvs;
  /** Real pings from this host's namespaces (`--allow-probe`); without it, probes are refused. */
  readonly probe?: AgentProbeOptions;
}

/** A built agent: listen, and close when done. */
export interface AgentApp {
  readonly server: Server;
  /** Resolves with the agent's base URL, e.g. `http://127.0.0.1:7081`. */
  listen(at: { readonly host: string; readonly port: number }): Promise<string>;
  close(): Promise<void>;
}

/**
 * The hoplens agent: serves its host's inventory to the server (GET /v1/inventory, bearer token
 * compared in constant time), what its Open vSwitch does with one packet (GET /v1/ofproto-trace,
 * see ofprotoTraceRoute) and, only when started with --allow-probe, runs probes (POST /v1/probe).
 * Read-only by construction: no route changes anything, here or on the host; a probe sends a few
 * ICMP echoes and watches, and leaves nothing behind. Plain node:http, not Fastify: an agent runs on
 * every node, and Fastify alone would add ~20 MiB to each of them for a few routes.
 */
export function buildAgentApp(opts: AgentOptions): Promise<AgentApp> {
  if (opts.token.length < 16) return Promise.reject(new Error('the agent token must have at least 16 characters'));
  let running: Promise<Dump> | undefined;
  const collect = (): Promise<Dump> =>
    (running ??= opts
      .collect()
      .then(createDump)
      .finally(() => {
        running = undefined;
      }));

  const ofprotoTrace = ofprotoTraceRoute(opts.askOvs);
  const probes = agentProbeRoutes(opts.token, opts.probe);
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://agent');
    const path = url.pathname;
    if (path === AGENT_PROBE_PATH) return probes(req, res);
    const read = req.method === 'GET' || req.method === 'HEAD';
    if (read && path === '/healthz') return send(res, 200, { ok: true });
    const routes = [`/${AGENT_INVENTORY_PATH}`, `/${AGENT_OFPROTO_TRACE_PATH}`];
    if (!read || !routes.includes(path)) return error(res, 404, `no route ${req.method} ${path}`);
    if (!tokenMatches(opts.token, bearerOf(req.headers.authorization))) {
      res.setHeader('www-authenticate', 'Bearer realm="hoplens-agent"');
      return error(res, 401, 'a valid bearer token is required');
    }
    if (path === `/${AGENT_INVENTORY_PATH}`) return send(res, 200, await collect());
    const answer = await ofprotoTrace(url.searchParams);
    if (answer.status === 200) return send(res, 200, answer.body);
    error(res, answer.status, answer.message);
  };
  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((e: unknown) => error(res, 500, `collection failed: ${(e as Error).message}`));
  };
  const server = opts.https ? createHttpsServer(opts.https, listener) : createHttpServer(listener);
  const scheme = opts.https ? 'https' : 'http';
  return Promise.resolve({
    server,
    listen: ({ host, port }) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const { address, family, port: bound } = server.address() as AddressInfo;
          resolve(`${scheme}://${family === 'IPv6' ? `[${address}]` : address}:${bound}`);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}
