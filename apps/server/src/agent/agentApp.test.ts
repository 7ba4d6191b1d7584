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

describe('hoplens agent: ofproto/trace questions', async () => {
  const asked: unknown[] = [];
  let open: () => void = () => undefined;
  const gate = new Promise<void>((r) => (open = r));
  const app = await buildAgentApp({
    token: TOKEN,
    collect: () => Promise.resolve([HOST]),
    askOvs: async (q) => {
      asked.push(q);
      if (q.bridge === 'br-slow') await gate;
      if (q.bridge === 'br-none') return { error: 'ofproto/trace: no bridge named br-none' };
      return { answer: { ...q, output: 'Datapath actions: drop\n', answeredAt: 'now' } };
    },
  });
  const noSwitch = await buildAgentApp({ token: TOKEN, collect: () => Promise.resolve([HOST]) });
  const urls = new Map([
    [app, await app.listen({ host: '127.0.0.1', port: 0 })],
    [noSwitch, await noSwitch.listen({ host: '127.0.0.1', port: 0 })],
  ]);
  afterAll(() => Promise.all([app.close(), noSwitch.close()]));
  const FLOW =
    'icmp,in_port=2,dl_src=0a:58:0a:84:02:0a,dl_dst=0a:58:0a:84:02:02,nw_src=10.132.2.10,nw_dst=10.132.2.2,nw_ttl=64,icmp_type=8,icmp_code=0';
  const ask = async (query: Record<string, string>, on = app, token = TOKEN) => {
    const res = await fetch(`${urls.get(on)}/v1/ofproto-trace?${new URLSearchParams(query).toString()}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return { statusCode: res.status, body: (await res.json()) as { message?: string } };
  };

  it('passes a well-formed question to its switch and returns the answer', async () => {
    const res = await ask({ bridge: 'br-int', flow: FLOW, ctNext: 'trk,new' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toEqual({
      answer: {
        bridge: 'br-int',
        flow: FLOW,
        ctNext: 'trk,new',
        output: 'Datapath actions: drop\n',
        answeredAt: 'now',
      },
    });
    expect(asked.at(-1)).toEqual({ bridge: 'br-int', flow: FLOW, ctNext: 'trk,new' });
  });

  it.each([
    ['a flow with shell syntax', { bridge: 'br-int', flow: `${FLOW};reboot` }],
    ['a flow with spaces', { bridge: 'br-int', flow: 'icmp, in_port=1' }],
    ['a conntrack state that looks like an option', { bridge: 'br-int', flow: FLOW, ctNext: '--help' }],
    ['a bridge name with a newline', { bridge: 'br\nint', flow: FLOW }],
    ['a flow longer than any packet’s', { bridge: 'br-int', flow: `icmp,${'nw_ttl=64,'.repeat(200)}nw_ttl=64` }],
  ])('refuses %s before asking anything', async (_what, query) => {
    const before = asked.length;
    expect((await ask(query)).statusCode).toBe(400);
    expect(asked.length).toBe(before);
  });

  it('asks nothing for the bearer of a wrong token', async () => {
    const before = asked.length;
    expect((await ask({ bridge: 'br-int', flow: FLOW }, app, 'wrong-token-0123456789abcdef')).statusCode).toBe(401);
    expect(asked.length).toBe(before);
  });

  it('says 404 without a switch, 422 with the switch’s own error', async () => {
    expect((await ask({ bridge: 'br-int', flow: FLOW }, noSwitch)).statusCode).toBe(404);
    const res = await ask({ bridge: 'br-none', flow: FLOW });
    expect(res.statusCode).toBe(422);
    expect(res.body.message).toBe('ofproto/trace: no bridge named br-none');
  });

  it('answers at most four questions at a time', async () => {
    const slow = Array.from({ length: 4 }, () => ask({ bridge: 'br-slow', flow: FLOW }));
    const inSwitch = () => asked.filter((q) => (q as { bridge: string }).bridge === 'br-slow').length;
    while (inSwitch() < 4) await new Promise((r) => setTimeout(r, 10));
    expect((await ask({ bridge: 'br-int', flow: FLOW })).statusCode).toBe(429);
    open();
    expect((await Promise.all(slow)).map((r) => r.statusCode)).toEqual([200, 200, 200, 200]);
  });
});
