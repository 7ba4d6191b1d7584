import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Sends gzipped JSON as is to clients that accept gzip (every browser), and inflated, as a stream
 * (a whole snapshot is hundreds of MB), to those that do not (curl without --compressed).
 */
export function sendGzipJson(req: FastifyRequest, reply: FastifyReply, body: Buffer): void {
  reply.type('application/json; charset=utf-8').header('vary', 'accept-encoding');
  const accepts = /\bgzip\b/i.test(req.headers['accept-encoding'] ?? '');
  if (accepts) void reply.header('content-encoding', 'gzip').send(body);
  else void reply.send(Readable.from([body]).pipe(createGunzip()));
}
