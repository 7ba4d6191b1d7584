import { Transform } from 'node:stream';
import type { FastifyInstance } from 'fastify';

/** How much of the server one client may hold, and for how long (README, Security). */
export interface HttpLimits {
  /** The whole request, headers and body, must arrive within this. */
  readonly requestTimeoutMs: number;
  /** A connection with nothing sent either way for this long is closed. */
  readonly idleTimeoutMs: number;
  /** A request body with no byte arriving for this long is refused (408) and its connection closed. */
  readonly bodyIdleTimeoutMs: number;
  /** Open event streams (GET /api/events) per client address, and in all. */
  readonly eventStreamsPerClient: number;
  readonly eventStreamsTotal: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  requestTimeoutMs: 120_000,
  idleTimeoutMs: 60_000,
  bodyIdleTimeoutMs: 10_000,
  eventStreamsPerClient: 8,
  eventStreamsTotal: 256,
};

/** A client error that also ends its connection: what it was sending is not read further. */
class StalledBodyError extends Error {
  readonly statusCode = 408;
}

/**
 * Refuses request bodies that stop arriving: a client declaring 64 MiB and sending a little holds
 * a connection and its buffers until then. The timer restarts with every chunk.
 */
export function addBodyIdleTimeout(app: FastifyInstance, idleMs: number): void {
  app.addHook('preParsing', async (req, reply, payload) => {
    const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (!hasBody) return payload;
    const guarded = new Transform({
      transform(chunk: Buffer, _enc, done) {
        timer.refresh();
        done(null, chunk);
      },
      flush(done) {
        clearTimeout(timer);
        done();
      },
    });
    const timer = setTimeout(() => {
      // Answered already (refused by its declared length, say): nobody reads the rest, nothing to refuse.
      if (reply.sent) {
        guarded.destroy();
        return;
      }
      void reply.header('connection', 'close');
      guarded.destroy(new StalledBodyError(`request body stalled: nothing arrived for ${idleMs} ms`));
    }, idleMs);
    payload.on('error', (e) => guarded.destroy(e));
    guarded.on('close', () => clearTimeout(timer));
    // An answer sent before the body was read ends the wait: a timer left armed would destroy a
    // stream with nobody listening for its error — an uncaught exception that ended the server.
    for (const end of ['finish', 'close'] as const) reply.raw.once(end, () => clearTimeout(timer));
    return payload.pipe(guarded);
  });
}
