import type { FastifyPluginAsync } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { SnapshotService } from '../services/snapshotService.ts';

/** A comment line now and then keeps proxies from closing a quiet stream. */
const KEEPALIVE_MS = 25_000;

/**
 * GET /api/events: server-sent events, `event: snapshot` with the new snapshot's summary whenever
 * one is stored (collected or imported, here or by another server on the same database), and
 * `event: findings` with the findings it has that the snapshot before it lacked, so every open
 * dashboard learns of them without reloading.
 */
// eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async by contract
export const eventRoutes: FastifyPluginAsync<{ service: SnapshotService }> = async (app, { service }) => {
  const streams = new Set<ServerResponse>();
  // Open streams never go idle: end them, or closing the server would wait for them forever.
  app.addHook('preClose', (done) => {
    for (const s of streams) s.end();
    done();
  });
  app.get('/api/events', (req, reply) => {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      connection: 'keep-alive',
    });
    res.write(': hoplens events\n\n');
    streams.add(res);
    const off = service.events.subscribe((e) => {
      res.write(`event: ${e.name}\ndata: ${JSON.stringify(e.data)}\n\n`);
    });
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
    req.raw.on('close', () => {
      off();
      clearInterval(keepalive);
      streams.delete(res);
    });
  });
};
