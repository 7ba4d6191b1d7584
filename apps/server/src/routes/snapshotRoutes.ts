import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import {
  CollectStatusSchema,
  CompareQuerySchema,
  DisclosedGraphSchema,
  PodSchema,
  SearchQuerySchema,
  SearchResultSchema,
  SnapshotDiffSchema,
  ViewQuerySchema,
  ErrorBodySchema,
  FindingSchema,
  GraphQuerySchema,
  GraphSchema,
  SnapshotIdParamsSchema,
  SnapshotSchema,
  SnapshotSummarySchema,
  TraceQuerySchema,
  TraceResultSchema,
} from '@hoplens/model';
import type { SnapshotService } from '../services/snapshotService.ts';
import { sendGzipJson } from './sendGzip.ts';

const errors = {
  400: ErrorBodySchema,
  404: ErrorBodySchema,
  409: ErrorBodySchema,
  422: ErrorBodySchema,
  502: ErrorBodySchema,
  507: ErrorBodySchema,
};

/** The REST API. Handlers are one call into the service; schemas declare every answer. */
// eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async by contract
export const snapshotRoutes: FastifyPluginAsyncTypebox<{ service: SnapshotService }> = async (app, { service }) => {
  app.get('/api/snapshots', { schema: { response: { 200: Type.Array(SnapshotSummarySchema) } } }, () => service.list());

  app.post(
    '/api/snapshots',
    { schema: { body: Type.Unknown(), response: { 201: SnapshotSummarySchema, ...errors } } },
    async (req, reply) => reply.code(201).send(await service.import(req.body)),
  );

  app.get('/api/collect', { schema: { response: { 200: CollectStatusSchema } } }, () => service.collectStatus());

  app.post('/api/collect', { schema: { response: { 201: SnapshotSummarySchema, ...errors } } }, async (_req, reply) =>
    reply.code(201).send(await service.collect()),
  );

  app.get(
    '/api/snapshots/:id',
    { schema: { params: SnapshotIdParamsSchema, response: { 200: SnapshotSchema, ...errors } } },
    (req) => service.snapshot(req.params.id),
  );

  app.delete(
    '/api/snapshots/:id',
    { schema: { params: SnapshotIdParamsSchema, response: { 204: Type.Null(), ...errors } } },
    async (req, reply) => {
      await service.delete(req.params.id);
      req.log.info({ snapshot: req.params.id, from: req.ip }, 'snapshot deleted');
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/snapshots/:id/graph',
    {
      schema: {
        params: SnapshotIdParamsSchema,
        querystring: GraphQuerySchema,
        response: { 200: GraphSchema, ...errors },
      },
    },
    // Rendered and compressed by the service (and kept for the next viewer), so sent as is.
    async (req, reply) => {
      sendGzipJson(req, reply, await service.graphGzip(req.params.id, req.query));
      return reply;
    },
  );

  app.get(
    '/api/snapshots/:id/view',
    {
      schema: {
        params: SnapshotIdParamsSchema,
        querystring: ViewQuerySchema,
        response: { 200: DisclosedGraphSchema, ...errors },
      },
    },
    async (req, reply) => {
      sendGzipJson(req, reply, await service.viewGzip(req.params.id, req.query));
      return reply;
    },
  );

  app.get(
    '/api/snapshots/:id/search',
    {
      schema: {
        params: SnapshotIdParamsSchema,
        querystring: SearchQuerySchema,
        response: { 200: SearchResultSchema, ...errors },
      },
    },
    (req) => service.search(req.params.id, req.query),
  );

  app.get(
    '/api/snapshots/:id/pods',
    { schema: { params: SnapshotIdParamsSchema, response: { 200: Type.Array(PodSchema), ...errors } } },
    async (req) => (await service.snapshot(req.params.id)).pods,
  );

  app.get(
    '/api/compare',
    { schema: { querystring: CompareQuerySchema, response: { 200: SnapshotDiffSchema, ...errors } } },
    (req) => service.compare(req.query.a, req.query.b),
  );

  app.get(
    '/api/snapshots/:id/findings',
    { schema: { params: SnapshotIdParamsSchema, response: { 200: Type.Array(FindingSchema), ...errors } } },
    async (req) => (await service.analysis(req.params.id)).findings,
  );

  app.get(
    '/api/snapshots/:id/trace',
    {
      schema: {
        params: SnapshotIdParamsSchema,
        querystring: TraceQuerySchema,
        response: { 200: TraceResultSchema, ...errors },
      },
    },
    (req) => service.trace(req.params.id, req.query),
  );
};
