import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SNAPSHOT_LIMITS, type HostInventory, type SourcesConfig } from '@hoplens/model';
import { dumpAgent, fakeAgent, minimalHost, type FakeAgent } from '../testing/fakeAgent.ts';
import { apiNode, fakeApiServer } from '../testing/fakeApiServer.ts';
import { createDump } from '../createSnapshot.ts';
import { collectKept, collectSources } from './collectSources.ts';

const agents: FakeAgent[] = [];
afterEach(async () => {
  for (const a of agents.splice(0)) await a.close();
});
const agent = async (a: Promise<FakeAgent>): Promise<string> => {
  agents.push(await a);
  return agents[agents.length - 1]!.url;
};
const collect = (config: SourcesConfig): Promise<HostInventory[]> =>
  collectSources(config, { collectLocal: () => Promise.reject(new Error('no local sources here')) });
const errorsOf = (hosts: HostInventory[], name: string): string[] =>
  hosts.find((h) => h.name === name)?.errors.map((e) => e.message) ?? [];

describe('collectSources', () => {
  it('keeps a source’s hosts whole when another answers an unknown field nested 5,000 deep', async () => {
    const deep = `${'{"deeper":'.repeat(5000)}"x"${'}'.repeat(5000)}`;
    const good = await agent(dumpAgent([minimalHost('node-1')]));
    const junk = await agent(
      fakeAgent((_req, res) => {
        const dump = {
          kind: 'hoplens-dump',
          format: 1,
          createdAt: new Date().toISOString(),
          hosts: [minimalHost('node-2')],
        };
        (dump.hosts[0] as unknown as Record<string, unknown>).junk = deep;
        res.end(JSON.stringify(dump));
      }),
    );
    const hosts = await collect({
      sources: [
        { kind: 'agent', name: 'node-1', url: good },
        { kind: 'agent', name: 'node-2', url: junk },
      ],
    });
    expect(hosts.map((h) => h.name)).toEqual(['node-1', 'node-2']);
    expect(errorsOf(hosts, 'node-1')).toEqual([]);
    expect(errorsOf(hosts, 'node-2')[0]).toMatch(/agent node-2 at .*: invalid dump: \/hosts\/0\/junk/);
    // What is kept can be written: nothing of the junk survives.
    expect(() => JSON.stringify(hosts)).not.toThrow();
  });

  it('flags a host name two agents both claim on both, so the genuine one is not silently renamed', async () => {
    const impostor = await agent(dumpAgent([minimalHost('worker')]));
    const genuine = await agent(dumpAgent([minimalHost('worker')]));
    const hosts = await collect({
      sources: [
        { kind: 'agent', name: 'rogue', url: impostor },
        { kind: 'agent', name: 'worker', url: genuine },
      ],
    });
    expect(hosts.map((h) => h.name)).toEqual(['worker', 'worker.2']);
    for (const name of ['worker', 'worker.2'])
      expect(errorsOf(hosts, name).join()).toMatch(
        /host name worker is reported by agent rogue at .* and agent worker at .*: hoplens cannot tell which is genuine/,
      );
  });

  it('gives a bound agent its host names: an unbound claim on them is refused', async () => {
    const impostor = await agent(dumpAgent([minimalHost('worker'), minimalHost('rogue-box')]));
    const genuine = await agent(dumpAgent([minimalHost('worker')]));
    const hosts = await collect({
      sources: [
        { kind: 'agent', name: 'rogue-box', url: impostor, hosts: ['rogue-box'] },
        { kind: 'agent', name: 'worker', url: genuine, hosts: ['worker'] },
      ],
    });
    expect(hosts.map((h) => h.name).sort()).toEqual(['rogue-box', 'worker']);
    expect(errorsOf(hosts, 'worker')).toEqual([]);
    expect(errorsOf(hosts, 'rogue-box')).toEqual([
      expect.stringMatching(
        /agent rogue-box at .* reported host worker, which it may not \(its hosts: rogue-box\): ignored/,
      ),
    ]);
  });

  it('names a bound agent’s first refused hosts and counts the rest, and tells the keeper which they are', async () => {
    const strays = Array.from({ length: 40 }, (_, i) => minimalHost(`stray-${i}`));
    const url = await agent(dumpAgent([strays[0]!, minimalHost('edge'), ...strays.slice(1)]));
    const refused: (readonly number[] | undefined)[] = [];
    const hosts = await collectKept(
      { sources: [{ kind: 'agent', name: 'edge', url, hosts: ['edge'] }] },
      { collectLocal: () => Promise.reject(new Error('no local sources')) },
      (arrived, _json, out) => {
        refused.push(out);
        return arrived;
      },
    );
    expect(refused).toEqual([[0, ...Array.from({ length: 39 }, (_, i) => i + 2)]]);
    expect(hosts.map((h) => h.name)).toEqual(['edge']);
    const errors = errorsOf(hosts, 'edge');
    expect(errors).toHaveLength(17);
    expect(errors[0]).toMatch(/agent edge at .* reported host stray-0, which it may not \(its hosts: edge\): ignored/);
    expect(errors[15]).toMatch(/reported host stray-15, which it may not/);
    expect(errors[16]).toMatch(
      /agent edge at .* reported 24 more hosts, which it may not \(its hosts: edge\): ignored/,
    );
  });

  it('keeps a bound agent’s refusals on its host even where its own errors are as many as a host may have', async () => {
    const edge = minimalHost('edge');
    edge.errors = Array.from({ length: SNAPSHOT_LIMITS.errorsPerHost }, (_, i) => ({ message: `e${i}` }));
    const url = await agent(dumpAgent([edge, minimalHost('stray')]));
    const hosts = await collect({ sources: [{ kind: 'agent', name: 'edge', url, hosts: ['edge'] }] });
    const errors = errorsOf(hosts, 'edge');
    expect(errors).toHaveLength(SNAPSHOT_LIMITS.errorsPerHost);
    expect(errors.at(-1)).toMatch(/reported host stray, which it may not/);
    expect(errors.at(-2)).toMatch(/^2 more errors of this host left out/);
  });

  it('fails alone the source whose answer does not fit beside the answers before it', async () => {
    const half = SNAPSHOT_LIMITS.hosts / 2 + 1;
    const many = (p: string): HostInventory[] => Array.from({ length: half }, (_, i) => minimalHost(`${p}-${i}`));
    const hosts = await collect({
      concurrency: 1,
      sources: [
        { kind: 'agent', name: 'a', url: await agent(dumpAgent(many('a'))) },
        { kind: 'agent', name: 'b', url: await agent(dumpAgent(many('b'))) },
        { kind: 'agent', name: 'c', url: await agent(dumpAgent([minimalHost('c')])) },
      ],
    });
    expect(hosts.length).toBe(half + 2);
    expect(errorsOf(hosts, 'b')).toEqual([
      expect.stringMatching(/^agent b at .*: with this collection's other answers, too large: 100003 hosts/),
    ]);
    expect(errorsOf(hosts, 'c')).toEqual([]);
  });

  it('keeps room for every node node-agents lists, and fails it alone where there is none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hoplens-room-'));
    const kubeconfig = join(dir, 'kubeconfig');
    const big = Array.from({ length: SNAPSHOT_LIMITS.hosts - 1 }, (_, i) => minimalHost(`big-${i}`));
    let served!: () => void;
    const bigServed = new Promise<void>((r) => (served = r));
    const url = await agent(
      fakeAgent((_req, res) => {
        res.end(JSON.stringify(createDump(big)), served);
      }),
    );
    // The nodes are listed well after the big answer is in: two nodes whose agents do not answer
    // (nothing listens there) would leave two failed hosts beside its 99,999.
    const nodes = { kind: 'NodeList', apiVersion: 'v1', metadata: { resourceVersion: '1' } };
    const items = [apiNode('node-1', '127.0.0.1'), apiNode('node-2', '127.0.0.2')];
    const api = await fakeApiServer([], {
      token: 'room-token-0123456789',
      kubeconfig,
      answer: (req, res) => {
        if (!req.url?.startsWith('/api/v1/nodes')) return false;
        void bigServed.then(() =>
          setTimeout(
            () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...nodes, items })),
            1_500,
          ),
        );
        return true;
      },
    });
    try {
      const hosts = await collect({
        sources: [
          { kind: 'node-agents', port: 9, kubeconfig },
          { kind: 'agent', name: 'big', url },
        ],
      });
      expect(hosts.length).toBe(SNAPSHOT_LIMITS.hosts);
      expect(errorsOf(hosts, 'node-agents')).toEqual([
        expect.stringMatching(/: with this collection's other answers, too large: 100001 hosts/),
      ]);
    } finally {
      api.server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops reading answers once the collection has read its byte budget', async () => {
    const url = await agent(dumpAgent([minimalHost('big', 400_000)]));
    const hosts = await collect({
      maxBytes: 2 ** 20,
      sources: [1, 2, 3].map((i) => ({ kind: 'agent' as const, name: `n${i}`, url, hosts: ['big'] })),
    });
    const refused = hosts.filter((h) => h.errors.some((e) => /its limit/.test(e.message)));
    expect(refused.length).toBeGreaterThanOrEqual(1);
    expect(hosts.filter((h) => h.namespaces.length > 0).length).toBeLessThanOrEqual(2);
  });

  it('hands its keeper every host as it arrives, with the very bytes an agent answered, failures too', async () => {
    const dump = { kind: 'hoplens-dump', format: 1, createdAt: '2026-01-01T00:00:00Z', hosts: [minimalHost('n1')] };
    // Pretty-printed: what is handed on is what was served, not the hosts written out again.
    const served = `${JSON.stringify(dump, null, 2)}\n`;
    const url = await agent(fakeAgent((_req, res) => res.end(served)));
    const kept: { names: string[]; json?: string }[] = [];
    const hosts = await collectKept(
      {
        sources: [
          { kind: 'agent', name: 'n1', url },
          { kind: 'local', hosts: [{ name: 'here', kind: 'node', root: null, netns: [] }] },
          { kind: 'agent', name: 'gone', url: 'http://127.0.0.1:1' },
        ],
      },
      { collectLocal: (map) => Promise.resolve(map.hosts.map((h) => minimalHost(h.name))) },
      (arrived, json) => {
        kept.push({ names: arrived.map((h) => h.name), ...(json ? { json: json.toString('utf8') } : {}) });
        return arrived.map((h) => ({ name: h.name, errors: h.errors, size: h.namespaces.length }));
      },
    );
    expect(kept).toContainEqual({ names: ['n1'], json: served });
    expect(kept).toContainEqual({ names: ['here'] });
    expect(kept).toContainEqual({ names: ['gone'] });
    expect(hosts.map((h) => h.name)).toEqual(['n1', 'here', 'gone']);
    // What it keeps is what comes out, settled.
    expect(hosts[0]).toEqual({ name: 'n1', errors: [], size: 0 });
    expect(hosts[2]!.errors[0]!.message).toMatch(/^agent gone at http:\/\/127\.0\.0\.1:1: /);
  });

  it('fails only the source whose answer holds more than a snapshot may, before its schema is read', async () => {
    const loud = minimalHost('loud');
    loud.errors = Array.from({ length: SNAPSHOT_LIMITS.errorsPerHost + 1 }, (_, i) => ({ message: `e${i}` }));
    const hosts = await collect({
      sources: [
        { kind: 'agent', name: 'quiet', url: await agent(dumpAgent([minimalHost('quiet')])) },
        { kind: 'agent', name: 'loud', url: await agent(dumpAgent([loud])) },
      ],
    });
    expect(errorsOf(hosts, 'quiet')).toEqual([]);
    expect(errorsOf(hosts, 'loud')).toEqual([
      expect.stringMatching(/^agent loud at .*: too large: 4097 errorsPerHost, at most 4096/),
    ]);
  });

  it('says what is wrong with an answer that is JSON but no object, its limits counted as nothing', async () => {
    const url = await agent(fakeAgent((_req, res) => res.end('null')));
    const hosts = await collect({ sources: [{ kind: 'agent', name: 'odd', url }] });
    expect(errorsOf(hosts, 'odd')).toEqual([
      expect.stringMatching(/^agent odd at .*: invalid dump: \/ must be a JSON object/),
    ]);
  });
});
