import { afterEach, describe, expect, it } from 'vitest';
import { dumpAgent, fakeAgent, minimalHost, type FakeAgent } from '../testing/fakeAgent.ts';
import { ByteBudget } from './byteBudget.ts';
import { fetchAgent, MAX_ANSWER_BYTES } from './fetchAgent.ts';

const agents: FakeAgent[] = [];
afterEach(async () => {
  for (const a of agents.splice(0)) await a.close();
});
const agent = async (a: Promise<FakeAgent>): Promise<FakeAgent> => {
  agents.push(await a);
  return agents[agents.length - 1]!;
};
const source = (url: string) => ({ kind: 'agent' as const, name: 'node-1', url });

describe('fetchAgent', () => {
  it('reads an agent’s dump', async () => {
    const a = await agent(dumpAgent([minimalHost('node-1')]));
    expect((await fetchAgent(source(a.url), 5000)).hosts.map((h) => h.name)).toEqual(['node-1']);
  });

  it('stops reading an answer that streams without end, and the server’s memory stays bounded', async () => {
    const chunk = Buffer.alloc(256 * 1024, 0x20);
    let sent = 0;
    const a = await agent(
      fakeAgent((_req, res) => {
        // Chunked, no Content-Length: only the bytes actually read can tell.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"kind":"hoplens-dump","format":1,"pad":"');
        const more = (): void => {
          while (!res.destroyed && res.write(chunk)) sent += chunk.length;
          if (!res.destroyed) res.once('drain', more);
        };
        more();
      }),
    );
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    try {
      await expect(fetchAgent(source(a.url), 60_000)).rejects.toThrow(/answered more than 64 MiB/);
    } finally {
      clearInterval(sampler);
    }
    expect(sent).toBeLessThan(MAX_ANSWER_BYTES + 64 * 2 ** 20);
    // What was read (64 MiB) and its copies while reading, not the endless stream.
    expect(peak - before).toBeLessThan(400 * 2 ** 20);
  });

  it('counts every answer against the collection’s budget, and refuses past it', async () => {
    const a = await agent(dumpAgent([minimalHost('node-1', 300_000)]));
    const budget = new ByteBudget(700_000);
    await fetchAgent(source(a.url), 5000, budget);
    await fetchAgent(source(a.url), 5000, budget);
    await expect(fetchAgent(source(a.url), 5000, budget)).rejects.toThrow(
      /this collection has read 700000 bytes of answers, its limit/,
    );
  });

  it('never follows a redirect', async () => {
    let followed = false;
    const target = await agent(
      fakeAgent((_req, res) => {
        followed = true;
        res.end('secret');
      }),
    );
    const a = await agent(
      fakeAgent((_req, res) => {
        res.writeHead(302, { location: `${target.url}/v1/inventory` });
        res.end();
      }),
    );
    await expect(fetchAgent(source(a.url), 5000)).rejects.toThrow(/answered 302: a redirect, not followed/);
    expect(followed).toBe(false);
  });
});
