import type { Socket } from 'node:net';
import type { FastifyRequest } from 'fastify';

/**
 * Runs the work behind an answer with the connection's idle timer stopped, then restarts it. A
 * client waiting for an import of 150,000 pods or a collection from 5,000 agents is waiting for
 * its answer, not idle; the server's idle timeout (60 s) would otherwise close the connection and
 * the answer would be lost though the work succeeded.
 */
export async function whileAnswering<T>(req: FastifyRequest, work: () => Promise<T>): Promise<T> {
  const socket = req.raw.socket as Partial<Socket> | null | undefined;
  // app.inject's requests have a stand-in socket without timers: nothing to stop.
  if (typeof socket?.setTimeout !== 'function') return work();
  const idle = socket.timeout ?? 0;
  socket.setTimeout(0);
  try {
    return await work();
  } finally {
    if (socket.destroyed !== true) socket.setTimeout(idle);
  }
}
