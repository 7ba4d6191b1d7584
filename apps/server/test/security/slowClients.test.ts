import { afterEach, expect, it } from 'vitest';
import { testApp, type TestApp } from '../testApp.ts';
import { rawHttp } from './rawHttp.ts';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const listen = async (app: TestApp['app']): Promise<number> =>
  Number(new URL(await app.listen({ host: '127.0.0.1', port: 0 })).port);

it('refuses an unauthenticated import before reading its body, and closes the connection', async () => {
  t = await testApp({ access: { loopbackOnly: false, token: 'slow-clients-token-0123' } });
  const port = await listen(t.app);
  for (const path of ['/api/snapshots', '/%61pi/snapshots']) {
    // 60 MB declared, none sent: the answer must not wait for it.
    const head = `POST ${path} HTTP/1.1\r\nHost: hoplens.example\r\nContent-Type: application/json\r\nContent-Length: 60000000\r\n\r\n`;
    const res = await rawHttp(port, head, 3000);
    expect(res.status, path).toBe(401);
  }
});

it('gives up on a request body that stops arriving, with 408, and closes the connection', async () => {
  t = await testApp({ limits: { bodyIdleTimeoutMs: 300 } });
  const port = await listen(t.app);
  const head = `POST /api/snapshots HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n`;
  const res = await rawHttp(port, `${head}{"format":1,"pad":"${'a'.repeat(1000)}`, 5000);
  expect(res.status).toBe(408);
  expect(res.text).toContain('request body stalled');
});

it('sets a time limit on whole requests and on idle connections', async () => {
  t = await testApp();
  const server = t.app.server;
  expect(server.requestTimeout).toBeGreaterThan(0);
  expect(server.requestTimeout).toBeLessThanOrEqual(300_000);
  expect(server.timeout).toBeGreaterThan(0);
  expect(server.headersTimeout).toBeLessThanOrEqual(server.requestTimeout);
});
