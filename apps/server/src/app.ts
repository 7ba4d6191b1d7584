import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { addBodyIdleTimeout, DEFAULT_HTTP_LIMITS, type HttpLimits } from './httpLimits.ts';
import { eventRoutes } from './routes/eventRoutes.ts';
import { historyRoutes } from './routes/historyRoutes.ts';
import { probeRoutes } from './routes/probeRoutes.ts';
import { snapshotRoutes } from './routes/snapshotRoutes.ts';
import { addAccessControl, type AccessOptions } from './security/accessControl.ts';
import { addAuditLog, type AuditSink } from './security/auditLog.ts';
import { addSecurityHeaders } from './security/securityHeaders.ts';
import { declareAccess } from './security/routeAccess.ts';
import { HistoryService } from './services/historyService.ts';
import { ProbeService } from './services/probeService.ts';
import type { SnapshotService } from './services/snapshotService.ts';
import { addErrorHandler } from './routes/errorHandler.ts';

export interface AppOptions {
  readonly service: SnapshotService;
  /** Timeline, pins and retention; default: one that keeps everything, started with the app. */
  readonly history?: HistoryService;
  /** Real pings against a snapshot's prediction; default: none (probes answer 409: no sources). */
  readonly probes?: ProbeService;
  /** The built web app (apps/web/dist); the API works without it. */
  readonly webDist?: string;
  readonly logger?: FastifyServerOptions['logger'];
  /** Who may read and write; default: loopback only, no token. */
  readonly access?: AccessOptions;
  /** Largest request body in bytes (snapshot imports); default 64 MiB. */
  readonly bodyLimit?: number;
  /** Where every write request is recorded (one JSON line each); unset: nowhere. */
  readonly audit?: AuditSink;
  /** Time limits and event-stream caps; each defaults to DEFAULT_HTTP_LIMITS. */
  readonly limits?: Partial<HttpLimits>;
  /** TLS key and certificate (PEM); plain HTTP without them. */
  readonly https?: { readonly key: Buffer; readonly cert: Buffer };
}

/** Builds the Fastify app; `server.ts` only listens, tests use `app.inject`. */
export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const limits = { ...DEFAULT_HTTP_LIMITS, ...opts.limits };
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: opts.bodyLimit ?? 64 * 1024 * 1024,
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.idleTimeoutMs,
    ...(opts.https ? { https: opts.https } : {}),
  }).withTypeProvider<TypeBoxTypeProvider>();

  addSecurityHeaders(app);
  addAccessControl(app, opts.access ?? { loopbackOnly: true });
  addErrorHandler(app);
  addBodyIdleTimeout(app, limits.bodyIdleTimeoutMs);
  app.addHook('onClose', (_app, done) => {
    opts.service.close();
    done();
  });
  if (opts.audit) addAuditLog(app, opts.audit);

  await app.register(snapshotRoutes, { service: opts.service });
  await app.register(eventRoutes, { service: opts.service, limits });
  await app.register(probeRoutes, { probes: opts.probes ?? new ProbeService(opts.service, undefined, undefined) });
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

  const webDist = opts.webDist;
  if (webDist && existsSync(webDist)) {
    // The web app's own files, each a route of its own (no wildcard): any other path is unknown,
    // and gets the access checks of the API.
    await app.register(async (web) => {
      declareAccess(web, 'public');
      await web.register(fastifyStatic, { root: webDist, wildcard: false });
      // Permalinks (/s/<id>?…) are client routes: serve the app shell for them.
      web.get('/s/*', (_req, reply) => reply.sendFile('index.html'));
    });
  }
  app.setNotFoundHandler((req, reply) =>
    reply
      .code(404)
      .send({ statusCode: 404, error: 'Not Found', message: `no route ${req.method} ${req.url.split('?')[0] ?? ''}` }),
  );
  return app;
}
