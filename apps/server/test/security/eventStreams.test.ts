import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testApp, type TestApp } from '../testApp.ts';

let t: TestApp;
let port: number;
beforeAll(async () => {
  t = await testApp();
  port = Number(new URL(await t.app.listen({ host: '127.0.0.1', port: 0 })).port);
});
afterAll(() => t.close());

/**
 * Opens an event stream from a loopback source address over a bare socket (the cheapest client);
 * resolves with the status once it arrives. An open stream's socket is kept in `open`, a refused
 * one is closed.
 */
function openStream(localAddress: string, open: Socket[]): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress }, () =>
      socket.write('GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'),
    );
    let head = '';
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => {
      if (head.includes('\r\n')) return;
      head += d;
      if (!head.includes('\r\n')) return;
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      if (status === 200) open.push(socket);
      else socket.destroy();
      resolve(status);
    });
    socket.on('error', () => resolve(-1));
  });
}

/**
 * 20,000 stream requests from 250 loopback addresses, 400 in flight at a time (loopback only,
 * bounded in count, and in time by the test timeout). The server keeps at most its caps open,
 * refuses the rest at once with a clear status, and keeps answering the API.
 */
it(
  'caps event streams per client and in all, refusing the rest, and keeps answering',
  { timeout: 120_000 },
  async () => {
    const open: Socket[] = [];
    const statuses = new Map<number, number>();
    const total = 20_000;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < total) {
        const i = next++;
        const status = await openStream(`127.0.${Math.floor(i / 250) % 250}.${(i % 250) + 1}`, open);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    };
    try {
      await Promise.all(Array.from({ length: 400 }, worker));
      expect(statuses.get(-1) ?? 0).toBe(0);
      expect(statuses.get(200)).toBe(256);
      expect((statuses.get(503) ?? 0) + (statuses.get(429) ?? 0)).toBe(total - 256);
      const info = await fetch(`http://127.0.0.1:${port}/api/info`);
      expect(info.status).toBe(200);
      // From one address: at most 8 at once, the ninth told why.
      const refused = await fetch(`http://127.0.0.1:${port}/api/events`);
      expect(refused.status).toBe(503);
      expect((await refused.json()) as { message: string }).toMatchObject({
        message: expect.stringMatching(/too many event streams/),
      });
    } finally {
      for (const r of open) r.destroy();
    }
  },
);

it('refuses a ninth stream from one address, and counts a closed one as gone', async () => {
  const open: Socket[] = [];
  try {
    const codes = [];
    for (let i = 0; i < 9; i++) codes.push(await openStream('127.1.0.1', open));
    expect(codes).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 429]);
    open.pop()!.destroy();
    await new Promise((r) => setTimeout(r, 200));
    expect(await openStream('127.1.0.1', open)).toBe(200);
  } finally {
    for (const r of open) r.destroy();
  }
});
