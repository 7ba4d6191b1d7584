import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ErrorBodySchema,
  ServerInfoSchema,
  SnapshotIdParamsSchema,
  SnapshotSummarySchema,
  TimelineSchema,
} from '@hoplens/model';
import type { HistoryService } from '../services/historyService.ts';
import type { SnapshotService } from '../services/snapshotService.ts';

/** GET /api/info, and history: the timeline of findings and pinning a snapshot that was shared. */
interface Services {
  readonly service: SnapshotService;
  readonly history: HistoryService;
}

// eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async by contract
export const historyRoutes: FastifyPluginAsyncTypebox<Services> = async (app, { service, history }) => {
  app.get('/api/info', { schema: { response: { 200: ServerInfoSchema } } }, async () => ({
    version: '0.1.0',
    canCollect: service.canCollect,
    store: await history.info(),
  }));

  app.get(
    '/api/snapshots/:id/timeline',
    { schema: { params: SnapshotIdParamsSchema, response: { 200: TimelineSchema, 404: ErrorBodySchema } } },
    (req) => history.timeline(req.params.id),
  );

  app.post(
    '/api/snapshots/:id/pin',
    { schema: { params: SnapshotIdParamsSchema, response: { 200: SnapshotSummarySchema, 404: ErrorBodySchema } } },
    async (req) => {
      const summary = await history.pin(req.params.id);
      req.log.info({ snapshot: req.params.id, from: req.ip }, 'snapshot pinned');
      return summary;
    },
  );
};
