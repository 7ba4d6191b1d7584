import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import {
  ErrorBodySchema,
  ProbeIdParamsSchema,
  ProbeQuerySchema,
  ProbeResultSchema,
  ProbeSummarySchema,
  SnapshotIdParamsSchema,
} from '@hoplens/model';
import type { ProbeService } from '../services/probeService.ts';

const errors = {
  400: ErrorBodySchema,
  404: ErrorBodySchema,
  409: ErrorBodySchema,
  502: ErrorBodySchema,
};

/** Probes of a snapshot: run one (a write, with the write token), list them, read one, download its pcap. */
// eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async by contract
export const probeRoutes: FastifyPluginAsyncTypebox<{ probes: ProbeService }> = async (app, { probes }) => {
  app.post(
    '/api/snapshots/:id/probe',
    {
      schema: {
        params: SnapshotIdParamsSchema,
        body: ProbeQuerySchema,
        response: { 201: ProbeResultSchema, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await probes.probe(req.params.id, req.body)),
  );

  app.get(
    '/api/snapshots/:id/probes',
    { schema: { params: SnapshotIdParamsSchema, response: { 200: Type.Array(ProbeSummarySchema), ...errors } } },
    (req) => probes.list(req.params.id),
  );

  app.get(
    '/api/snapshots/:id/probes/:probeId',
    { schema: { params: ProbeIdParamsSchema, response: { 200: ProbeResultSchema, ...errors } } },
    (req) => probes.get(req.params.id, req.params.probeId),
  );

  app.get(
    '/api/snapshots/:id/probes/:probeId/pcap',
    // A pcapng file, not JSON: a download (Fastify sends a Buffer as it is).
    { schema: { params: ProbeIdParamsSchema, response: { 200: Type.Unknown(), 404: ErrorBodySchema } } },
    async (req, reply) => {
      const pcap = await probes.pcap(req.params.id, req.params.probeId);
      void reply
        .type('application/x-pcapng')
        .header('content-disposition', `attachment; filename="hoplens-probe-${req.params.probeId}.pcapng"`)
        .send(pcap);
    },
  );
};
