import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import {
  CollectStatusSchema,
  CompareQuerySchema,
  DisclosedGraphSchema,
  PodPageSchema,
  PodQuerySchema,
  SearchQuerySchema,
  SearchResultSchema,
  ServicePageSchema,
  ServiceQuerySchema,
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
import { readImportBody } from './importBody.ts';
import { sendGzipJson } from './sendGzip.ts';
import { whileAnswering } from './whileAnswering.ts';
import { noteSnapshot } from '../security/auditLog.ts';

const errors = {
  400: ErrorBodySchema,
  404: ErrorBodySchema,
  409: ErrorBodySchema,
  413: ErrorBodySchema,
  415: ErrorBodySchema,
  422: ErrorBodySchema,
  502: ErrorBodySchema,
  503: ErrorBodySchema,
  507: ErrorBodySchema,
};

/** What the REST API needs: the service, and the largest import in bytes of JSON once decompressed. */
interface RoutesOptions {
  readonly service: SnapshotService;
  readonly importLimit: number;
}

/**
 * The REST API. Handlers are one call into the service; schemas declare every answer. Answers about
 * a snapshot come from the analysis worker as gzipped JSON and are sent as they are.
 */
// eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async by contract
export const snapshotRoutes: FastifyPluginAsyncTypebox<RoutesOptions> = async (app, { service, importLimit }) => {
  // Imports are parsed in the analysis worker: the body reaches the service as bytes, decompressed
  // as it arrives and bounded on its decompressed size (importBody.ts). `application/gzip` is JSON
  // sent gzipped without saying so in Content-Encoding (`curl --data-binary @x.json.gz`).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', (req: FastifyRequest, payload: IncomingMessage) =>
    readImportBody(req.headers, payload, importLimit),
  );
  app.addContentTypeParser('application/gzip', (req: FastifyRequest, payload: IncomingMessage) =>
    readImportBody({ ...req.headers, 'content-encoding': 'gzip' }, payload, importLimit),
  );

  app.get('/api/snapshots', { schema: { response: { 200: Type.Array(SnapshotSummarySchema) } } }, () => service.list());

  app.post(
    '/api/snapshots',
    { schema: { body: Type.Unknown(), response: { 201: SnapshotSummarySchema, ...errors } } },
    async (req, reply) => {
      const summary = await whileAnswering(req, () => service.import(req.body));
      noteSnapshot(req, summary.id);
      return reply.code(201).send(summary);
    },
  );

  app.get('/api/collect', { schema: { response: { 200: CollectStatusSchema } } }, () => service.collectStatus());

  app.post('/api/collect', { schema: { response: { 201: SnapshotSummarySchema, ...errors } } }, async (req, reply) => {
    const summary = await whileAnswering(req, () => service.collect());
    noteSnapshot(req, summary.id);
    return reply.code(201).send(summary);
  });

  app.get(
    '/api/snapshots/:id',
    { schema: { params: SnapshotIdParamsSchema, response: { 200: SnapshotSchema, ...errors } } },
    async (req, reply) => {
      sendGzipJson(req, reply, await service.snapshotGzip(req.params.id));
      return reply;
    },
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
    async (req, reply) => {
      sendGzipJson(req, reply, await service.graph(req.params.id, req.query));
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
      // A cold open without persisted results analyses the snapshot first: a wait, not an idle client.
      sendGzipJson(req, reply, await whileAnswering(req, () => service.view(req.params.id, req.query)));
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
    async (req, reply) => {
      sendGzipJson(req, reply, await service.search(req.params.id, req.query));
      return reply;
    },
  );

  app.get(
    '/api/snapshots/:id/pods',
    {
      schema: {
        params: SnapshotIdParamsSchema,
        querystring: PodQuerySchema,
        response: { 200: PodPageSchema, ...errors },
      },
    },
    async (req, reply) => {
      sendGzipJson(req, reply, await service.pods(req.params.id, req.query));
      return reply;
    },
  );

  app.get(
    '/api/snapshots/:id/services',
    {
      schema: {
        params: SnapshotIdParamsSchema,
        querystring: ServiceQuerySchema,
        response: { 200: ServicePageSchema, ...errors },
      },
    },
    async (req, reply) => {
      sendGzipJson(req, reply, await service.services(req.params.id, req.query));
      return reply;
    },
  );

  app.get(
    '/api/compare',
    { schema: { querystring: CompareQuerySchema, response: { 200: SnapshotDiffSchema, ...errors } } },
    async (req, reply) => {
      sendGzipJson(req, reply, await service.compare(req.query.a, req.query.b));
      return reply;
    },
  );

  app.get(
    '/api/snapshots/:id/findings',
    { schema: { params: SnapshotIdParamsSchema, response: { 200: Type.Array(FindingSchema), ...errors } } },
    async (req, reply) => {
      sendGzipJson(req, reply, await whileAnswering(req, () => service.findings(req.params.id)));
      return reply;
    },
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
    async (req, reply) => {
      sendGzipJson(req, reply, await service.trace(req.params.id, req.query));
      return reply;
    },
  );
};
