import Fastify, { type FastifyInstance } from 'fastify';
import { AGENT_INVENTORY_PATH, createDump } from '@hoplens/collector';
import { ErrorBodySchema, DumpSchema, type Dump, type HostInventory } from '@hoplens/model';
import { addSecurityHeaders } from '../security/securityHeaders.ts';
import { bearerOf, tokenMatches } from '../security/bearerToken.ts';
import { addAgentProbeRoutes, type AgentProbeOptions } from './agentProbeRoutes.ts';

export interface AgentOptions {
  /** Collects this machine's inventory; called per request, one run at a time. */
  readonly collect: () => Promise<HostInventory[]>;
  /** Every inventory request must present it; an agent never serves without one. */
  readonly token: string;
  readonly https?: { readonly cert: Buffer; readonly key: Buffer };
  readonly logger?: boolean;
  /** Real pings from this host's namespaces (`--allow-probe`); without it, probes are refused. */
  readonly probe?: AgentProbeOptions;
}

/**
 * The hoplens agent: serves its host's inventory to the server (GET /v1/inventory, bearer token
 * compared in constant time) and, only when started with --allow-probe, runs probes (POST
 * /v1/probe). Read-only by construction: no route changes anything, here or on the host; a probe
 * sends a few ICMP echoes and watches, and leaves nothing behind.
 */
export async function buildAgentApp(opts: AgentOptions): Promise<FastifyInstance> {
  if (opts.token.length < 16) throw new Error('the agent token must have at least 16 characters');
  const app = Fastify({ logger: opts.logger ?? false, ...(opts.https ? { https: opts.https } : {}) });
  let running: Promise<Dump> | undefined;
  const collect = (): Promise<Dump> =>
    (running ??= opts
      .collect()
      .then(createDump)
      .finally(() => {
        running = undefined;
      }));
  addSecurityHeaders(app);
  app.get('/healthz', () => ({ ok: true }));
  app.get(
    `/${AGENT_INVENTORY_PATH}`,
    { schema: { response: { 200: DumpSchema, 401: ErrorBodySchema } } },
    async (req, reply) => {
      if (!tokenMatches(opts.token, bearerOf(req.headers.authorization))) {
        void reply.header('www-authenticate', 'Bearer realm="hoplens-agent"');
        return reply
          .code(401)
          .send({ statusCode: 401, error: 'Unauthorized', message: 'a valid bearer token is required' });
      }
      return collect();
    },
  );
  addAgentProbeRoutes(app, opts.token, opts.probe);
  await app.ready();
  return app;
}
