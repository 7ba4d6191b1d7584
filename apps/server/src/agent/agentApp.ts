import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { AGENT_INVENTORY_PATH, AGENT_OFPROTO_TRACE_PATH, createDump } from '@hoplens/collector';
import {
  ErrorBodySchema,
  DumpSchema,
  OvsTraceReplySchema,
  OvsTraceRequestSchema,
  type Dump,
  type HostInventory,
  type OvsTraceAnswer,
  type OvsTraceRequest,
} from '@hoplens/model';
import { addSecurityHeaders } from '../security/securityHeaders.ts';
import { bearerOf, tokenMatches } from '../security/bearerToken.ts';

/** ofproto/trace questions answered at once; more wait for the server's next round. */
const MAX_ASKING = 4;

export interface AgentOptions {
  /** Collects this machine's inventory; called per request, one run at a time. */
  readonly collect: () => Promise<HostInventory[]>;
  /** Every inventory request must present it; an agent never serves without one. */
  readonly token: string;
  readonly https?: { readonly cert: Buffer; readonly key: Buffer };
  /**
   * Asks this machine's Open vSwitch about one packet (ofproto/trace, read-only); without it the
   * agent answers 404 to such questions.
   */
  readonly askOvs?: (q: OvsTraceRequest) => Promise<{ readonly answer: OvsTraceAnswer } | { readonly error: string }>;
  readonly logger?: boolean;
}

/**
 * The hoplens agent: serves its host's inventory to the server (GET /v1/inventory, bearer token
 * compared in constant time), and answers what its Open vSwitch does with one packet (GET
 * /v1/ofproto-trace, a validated flow, a few questions at a time). Read-only by construction: it has
 * no route that changes anything, here or on the host.
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
  const unauthorized = (req: FastifyRequest, reply: FastifyReply): FastifyReply | undefined => {
    if (tokenMatches(opts.token, bearerOf(req.headers.authorization))) return undefined;
    void reply.header('www-authenticate', 'Bearer realm="hoplens-agent"');
    return reply
      .code(401)
      .send({ statusCode: 401, error: 'Unauthorized', message: 'a valid bearer token is required' });
  };
  app.get(
    `/${AGENT_INVENTORY_PATH}`,
    { schema: { response: { 200: DumpSchema, 401: ErrorBodySchema } } },
    async (req, reply) => unauthorized(req, reply) ?? collect(),
  );
  let asking = 0;
  app.get<{ Querystring: OvsTraceRequest }>(
    `/${AGENT_OFPROTO_TRACE_PATH}`,
    {
      schema: {
        querystring: OvsTraceRequestSchema,
        response: {
          200: OvsTraceReplySchema,
          401: ErrorBodySchema,
          404: ErrorBodySchema,
          422: ErrorBodySchema,
          429: ErrorBodySchema,
        },
      },
    },
    async (req, reply) => {
      const denied = unauthorized(req, reply);
      if (denied) return denied;
      const fail = (statusCode: 404 | 422 | 429, error: string, message: string): FastifyReply =>
        reply.code(statusCode).send({ statusCode, error, message });
      if (!opts.askOvs) return fail(404, 'Not Found', 'this agent has no Open vSwitch to ask');
      if (asking >= MAX_ASKING) return fail(429, 'Too Many Requests', `at most ${MAX_ASKING} questions at a time`);
      asking++;
      try {
        const r = await opts.askOvs(req.query);
        return 'answer' in r ? r : fail(422, 'Unprocessable Entity', r.error);
      } finally {
        asking--;
      }
    },
  );
  await app.ready();
  return app;
}
