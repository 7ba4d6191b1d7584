import type { FastifyPluginAsync } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { HttpLimits } from '../httpLimits.ts';
import type { SnapshotService } from '../services/snapshotService.ts';

/** A comment line now and then keeps proxies from closing a quiet stream. */
const KEEPALIVE_MS = 25_000;

/**
 * GET /api/events: server-sent events, `event: snapshot` with the new snapshot's summary whenever
 * one is stored (collected or imported, here or by another server on the same database), and
 * `event: findings` with the findings it has that the snapshot before it lacked, so every open
 * dashboard learns of them without reloading. Streams are capped per client address and in all:
 * each holds a socket until the client goes.
 */
export const eventRoutes: FastifyPluginAsync<{ service: SnapshotService; limits: HttpLimits }> = async (
  app,
  { service, limits },
  // eslint-disable-next-line @typescript-eslint/require-await -- Fastify plugins are async by contract
) => {
  const streams = new Set<ServerResponse>();
  const perClient = new Map<string, number>();
  // Open streams never go idle: end them, or closing the server would wait for them forever.
  app.addHook('preClose', (done) => {
    for (const s of streams) s.end();
    done();
  });
  app.get('/api/events', (req, reply) => {
    const mine = perClient.get(req.ip) ?? 0;
    if (streams.size >= limits.eventStreamsTotal) {
      return reply
        .code(503)
        .header('retry-after', '30')
        .send({
          statusCode: 503,
          error: 'Service Unavailable',
          message: `too many event streams open (${streams.size}); try again later`,
        });
    }
    if (mine >= limits.eventStreamsPerClient) {
      return reply
        .code(429)
        .header('retry-after', '30')
        .send({
          statusCode: 429,
          error: 'Too Many Requests',
          message: `too many event streams from this address (${mine} open, at most ${limits.eventStreamsPerClient})`,
        });
    }
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
    perClient.set(req.ip, mine + 1);
    const off = service.events.subscribe((e) => {
      res.write(`event: ${e.name}\ndata: ${JSON.stringify(e.data)}\n\n`);
    });
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
    // The response's close: the request's fires as soon as its (empty) body has been read.
    res.on('close', () => {
      off();
      clearInterval(keepalive);
      streams.delete(res);
      const left = (perClient.get(req.ip) ?? 1) - 1;
      if (left > 0) perClient.set(req.ip, left);
      else perClient.delete(req.ip);
    });
    return undefined;
  });
};
