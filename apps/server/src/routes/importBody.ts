import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ServiceError } from '../services/serviceError.ts';

/**
 * Largest import, in bytes of JSON once decompressed: 500 MiB. A 5,000-node, 150,000-pod snapshot
 * (`hoplens lab synth --nodes 5000 --pods-per-node 30`) is 368 MB. The JSON is parsed as one string,
 * and V8 refuses strings past 512 MiB, so a larger limit could not be met anyway.
 */
export const DEFAULT_IMPORT_LIMIT = 500 * 2 ** 20;

/**
 * Reads an import's body as it arrives, plain or `Content-Encoding: gzip`, into ONE buffer of its
 * decompressed bytes: a resizable ArrayBuffer that reserves `limit` bytes of address space and
 * commits memory only as data arrives, so nothing is copied to grow it and a gzip bomb costs at most
 * `limit` bytes before it is refused (413) — its decompressed size is never allocated. The buffer is
 * exactly as long as the body, so it can be handed over to the analysis worker without a copy.
 * Truncated or corrupt gzip is 400; other encodings 415.
 */
export async function readImportBody(headers: IncomingHttpHeaders, payload: Readable, limit: number): Promise<Buffer> {
  const encoding = (headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  const gzip = encoding === 'gzip' || encoding === 'x-gzip';
  if (!gzip && encoding !== 'identity' && encoding !== '')
    throw new ServiceError(415, `unsupported Content-Encoding "${encoding}": send the body plain or gzip`);
  const declared = Number(headers['content-length'] ?? NaN);
  if (!gzip && declared > limit) throw tooLarge(limit);

  const buffer = new ResizableArrayBuffer(0, { maxByteLength: limit });
  const source = gzip ? payload.pipe(createGunzip()) : payload;
  if (gzip) payload.on('error', (e) => source.destroy(e));
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      const at = buffer.byteLength;
      if (at + chunk.byteLength > limit) throw tooLarge(limit);
      buffer.resize(at + chunk.byteLength);
      new Uint8Array(buffer, at, chunk.byteLength).set(chunk);
    }
  } catch (e) {
    source.destroy();
    payload.destroy();
    if (e instanceof ServiceError) throw e;
    const err = e as Error & { code?: string };
    if (gzip && typeof err.code === 'string' && err.code.startsWith('Z_'))
      throw new ServiceError(400, `the gzip body is truncated or corrupt: ${err.message}`);
    throw e;
  }
  return Buffer.from(buffer);
}

/** ES2024's resizable ArrayBuffer (Node >= 20 has it), which the project's ES2023 lib does not declare. */
interface Resizable extends ArrayBuffer {
  resize(byteLength: number): void;
}
const ResizableArrayBuffer = ArrayBuffer as unknown as new (
  byteLength: number,
  options: { readonly maxByteLength: number },
) => Resizable;

const tooLarge = (limit: number): ServiceError =>
  new ServiceError(
    413,
    `import too large: more than ${limit} bytes of JSON once decompressed (the server's --import-limit)`,
  );
