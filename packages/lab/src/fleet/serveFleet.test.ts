import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectSources, type SourceProgress } from '@hoplens/collector';
import { readDump } from '@hoplens/model';
import { serveFleet, type Fleet } from './serveFleet.ts';

const TOKEN = 'fleet-test-token-0123456789';
const TIMEOUT_MS = 4000;

describe('serveFleet', () => {
  let fleet: Fleet;
  let dir: string;
  let tokenFile: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hoplens-fleet-'));
    tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, `${TOKEN}\n`);
    fleet = await serveFleet({
      agents: 40,
      podsPerNode: 2,
      port: 0,
      token: TOKEN,
      dead: 2,
      hung: 2,
      slow: 2,
      slowMs: 200,
    });
  });
  afterAll(async () => {
    await fleet?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves each agent its own node as a dump on its own loopback address, and only with the token', async () => {
    const [a, b] = fleet.agents;
    expect(a!.url).toMatch(/^http:\/\/127\.0\.1\.1:\d+$/);
    expect(b!.url).toMatch(/^http:\/\/127\.0\.1\.2:\d+$/);
    const ask = (url: string, token = TOKEN) =>
      fetch(`${url}/v1/inventory`, { headers: { authorization: `Bearer ${token}` } });
    const dump = readDump(await (await ask(b!.url)).json());
    expect(dump.hosts.map((h) => h.name)).toEqual(['node-1']);
    expect(dump.hosts[0]!.namespaces.map((n) => n.name)).toEqual([null, 'pod-0', 'pod-1']);
    expect((await ask(a!.url, 'wrong-token-0123456789abc')).status).toBe(401);
  });

  it('collects every answering agent whole while dead and hung ones cost only their own slot and timeout', async () => {
    // The misbehaving agents are listed first, so they take the first slots: the others must get past them.
    const config = fleet.sources(tokenFile, { timeoutMs: TIMEOUT_MS, concurrency: 4 });
    const sources = [...config.sources].reverse();
    const events: SourceProgress[] = [];
    const before = fleet.stats().requests;
    const hosts = await collectSources(
      { ...config, sources },
      { collectLocal: () => Promise.reject(new Error('no local sources')), onProgress: (p) => events.push(p) },
    );
    expect(hosts).toHaveLength(40);
    const errors = (name: string) =>
      hosts
        .find((h) => h.name === name)!
        .errors.map((e) => e.message)
        .join();
    for (const i of [38, 39]) expect(errors(`node-${i}`)).toMatch(/ECONNREFUSED|fetch failed/);
    for (const i of [36, 37]) expect(errors(`node-${i}`)).toMatch(`timed out after ${TIMEOUT_MS} ms`);
    const answered = hosts.filter((h) => h.errors.length === 0);
    expect(answered.map((h) => h.name).sort()).toEqual(Array.from({ length: 36 }, (_, i) => `node-${i}`).sort());
    expect(answered.every((h) => h.namespaces.length === 3)).toBe(true);
    // Every answering agent (the slow ones included) was done before the first hung one timed out.
    const firstTimeout = events.findIndex((e) => e.state === 'failed' && /timed out/.test(e.message ?? ''));
    const lastDone = events.findLastIndex((e) => e.state === 'done');
    expect(firstTimeout).toBeGreaterThan(lastDone);
    // The agents never had more than `concurrency` requests open at once, and each was asked once.
    expect(fleet.stats().requests - before).toBe(38);
    expect(fleet.stats().mostInFlight).toBe(4);
  });

  it('keeps the collection within its byte budget with 16 agents asked at once: the rest fail naming the limit', async () => {
    const big = await serveFleet({ agents: 60, podsPerNode: 30, port: 0, token: TOKEN });
    try {
      const perAgent = big.bytes / 60;
      const maxBytes = 2 ** 20;
      const hosts = await collectSources(big.sources(tokenFile, { maxBytes, concurrency: 16 }), {
        collectLocal: () => Promise.reject(new Error('no local sources')),
      });
      const whole = hosts.filter((h) => h.errors.length === 0);
      const refused = hosts.filter((h) =>
        h.errors.some((e) => /has read 1048576 bytes of answers, its limit/.test(e.message)),
      );
      expect(whole.length + refused.length).toBe(60);
      expect(refused.length).toBeGreaterThan(0);
      expect(whole.length * perAgent).toBeLessThanOrEqual(maxBytes);
    } finally {
      await big.close();
    }
  });
});
