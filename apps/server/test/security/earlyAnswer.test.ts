import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterEach, expect, it } from 'vitest';
import { testApp, type TestApp } from '../testApp.ts';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const MiB = 2 ** 20;

/** POSTs `body` over real HTTP and resolves with the status once the answer has arrived. */
const post = (port: number, headers: Record<string, string>, body: Buffer): Promise<number> =>
  new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/api/snapshots', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    // The server may answer and close before all of it is sent: that is the point.
    req.on('error', (e: NodeJS.ErrnoException) =>
      e.code === 'EPIPE' || e.code === 'ECONNRESET' ? undefined : reject(e),
    );
    req.end(body);
  });

it('a body the server answered before reading it all leaves nothing behind that throws later', async () => {
  // The body-idle timer would fire at 300 ms for a body nobody reads any more.
  t = await testApp({ importLimit: 8 * MiB, limits: { bodyIdleTimeoutMs: 300 } });
  const port = Number(new URL(await t.app.listen({ host: '127.0.0.1', port: 0 })).port);
  const thrown: unknown[] = [];
  const catcher = (e: unknown): void => void thrown.push(e);
  process.on('uncaughtException', catcher);
  try {
    // 64 MiB of zeros gzipped (~64 KB): refused with 413 once past the 8 MiB limit, mid-stream.
    const member = gzipSync(Buffer.alloc(MiB), { level: 9 });
    const bomb = Buffer.concat(Array.from({ length: 64 }, () => member));
    const status = await post(port, { 'content-type': 'application/json', 'content-encoding': 'gzip' }, bomb);
    expect(status).toBe(413);
    // Longer than the body-idle timeout: a timer left armed for the unread body fires in here.
    await new Promise((r) => setTimeout(r, 1000));
    expect(thrown).toEqual([]);
    // Refused by its declared length, before a byte of it is read.
    const other = await post(port, { 'content-type': 'application/json' }, Buffer.alloc(9 * MiB, 32));
    expect(other).toBe(413);
    await new Promise((r) => setTimeout(r, 1000));
    expect(thrown).toEqual([]);
    // And the server still answers.
    const info = await fetch(`http://127.0.0.1:${port}/api/info`);
    expect(info.status).toBe(200);
  } finally {
    process.off('uncaughtException', catcher);
  }
});
