import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { eventRoutes } from './routes/eventRoutes.ts';
import { historyRoutes } from './routes/historyRoutes.ts';
import { snapshotRoutes } from './routes/snapshotRoutes.ts';
import { addAccessControl, type AccessOptions } from './security/accessControl.ts';
import { addSecurityHeaders } from './security/securityHeaders.ts';
import { HistoryService } from './services/historyService.ts';
import { ServiceError, type SnapshotService } from './services/snapshotService.ts';

export interface AppOptions {
  readonly service: SnapshotService;
  /** Timeline, pins and retention; default: one that keeps everything, started with the app. */
  readonly history?: HistoryService;
  /** The built web app (apps/web/dist); the API works without it. */
  readonly webDist?: string;
  readonly logger?: FastifyServerOptions['logger'];
  /** Who may read and write; default: loopback only, no token. */
  readonly access?: AccessOptions;
  /** Largest request body in bytes (snapshot imports); default 64 MiB. */
  readonly bodyLimit?: number;
  /** TLS key and certificate (PEM); plain HTTP without them. */
  readonly https?: { readonly key: Buffer; readonly cert: Buffer };
}

/** Builds the Fastify app; `server.ts` only listens, tests use `app.inject`. */
export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: opts.bodyLimit ?? 64 * 1024 * 1024,
    ...(opts.https ? { https: opts.https } : {}),
  }).withTypeProvider<TypeBoxTypeProvider>();

  addSecurityHeaders(app);
  addAccessControl(app, opts.access ?? { loopbackOnly: true });

  app.setErrorHandler((err: Error & { statusCode?: number; validation?: unknown }, _req, reply) => {
    if (err instanceof ServiceError) {
      return reply
        .code(err.statusCode)
        .send({ statusCode: err.statusCode, error: httpName(err.statusCode), message: err.message });
    }
    // Body parsing errors (malformed JSON, too large, wrong type) are the client's, with Fastify's message.
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) app.log.error(err);
    return reply
      .code(status)
      .send({ statusCode: status, error: httpName(status), message: status === 500 ? 'internal error' : err.message });
  });

  await app.register(snapshotRoutes, { service: opts.service });
  await app.register(eventRoutes, { service: opts.service });
  let history = opts.history;
  if (!history) {
    const own = new HistoryService(opts.service, opts.service.store, {
      retention: {},
      log: (message) => app.log.warn(message),
    });
    own.start();
    app.addHook('onClose', (_app, done) => {
      own.stop();
      done();
    });
    history = own;
  }
  await app.register(historyRoutes, { service: opts.service, history });

  if (opts.webDist && existsSync(opts.webDist)) {
    await app.register(fastifyStatic, { root: opts.webDist });
    // Permalinks (/s/<id>?…) are client routes: serve the app shell for them.
    app.get('/s/*', (_req, reply) => reply.sendFile('index.html'));
  }
  app.setNotFoundHandler((req, reply) =>
    reply
      .code(404)
      .send({ statusCode: 404, error: 'Not Found', message: `no route ${req.method} ${req.url.split('?')[0] ?? ''}` }),
  );
  return app;
}

function httpName(status: number): string {
  const names: Record<number, string> = {
    400: 'Bad Request',
    404: 'Not Found',
    409: 'Conflict',
    413: 'Payload Too Large',
    415: 'Unsupported Media Type',
    422: 'Unprocessable Entity',
    429: 'Too Many Requests',
    502: 'Bad Gateway',
    507: 'Insufficient Storage',
    500: 'Internal Server Error',
  };
  return names[status] ?? 'Error';
}
