import { afterAll, describe, expect, it } from 'vitest';
import type { HostInventory } from '@hoplens/model';
import { readDump } from '@hoplens/model';
import { buildAgentApp } from './agentApp.ts';

const TOKEN = 'agent-token-0123456789abcdef';
const HOST: HostInventory = { name: 'node-1', kind: 'node', collectedAt: 'now', namespaces: [], errors: [] };

describe('hoplens agent', async () => {
  let runs = 0;
  const app = await buildAgentApp({
    token: TOKEN,
    collect: async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 50));
      return [HOST];
    },
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  afterAll(() => app.close());
  const get = (authorization?: string) =>
    fetch(`${url}/v1/inventory`, { headers: authorization ? { authorization } : {} });

  it('serves its host’s inventory as a dump to the bearer of the token, collecting once for concurrent asks', async () => {
    const [a, b] = await Promise.all([get(`Bearer ${TOKEN}`), get(`Bearer ${TOKEN}`)]);
    expect(a.status).toBe(200);
    const body: unknown = await a.json();
    expect(readDump(body).hosts).toEqual([HOST]);
    expect(await b.json()).toEqual(body);
    expect(runs).toBe(1);
    expect(a.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it.each([undefined, 'Bearer wrong-token-0123456789', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`])(
    'refuses %s with 401 and collects nothing',
    async (authorization) => {
      const before = runs;
      const res = await get(authorization);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toContain('Bearer');
      expect(runs).toBe(before);
    },
  );

  it('has nothing that writes', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH'] as const) {
      const res = await fetch(`${url}/v1/inventory`, { method, headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.status).toBe(404);
    }
    expect(runs).toBe(1);
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ ok: true });
  });

  it('will not start with a short token', async () => {
    await expect(buildAgentApp({ token: 'short', collect: () => Promise.resolve([]) })).rejects.toThrow(
      /16 characters/,
    );
  });
});
