import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readSnapshot, type FindingRef, type Snapshot, type SnapshotSummary } from '@hoplens/model';
import broken from '@hoplens/model/fixtures/seed-broken.snapshot.json' with { type: 'json' };
import { packParts, packedTransfer, type PackedParts } from '../../src/store/packedParts.ts';
import { metaOf, splitSnapshot } from '../../src/store/snapshotParts.ts';
import type { SnapshotStore } from '../../src/store/snapshotStore.ts';

const seed = readSnapshot(broken);

/** A snapshot of the seed taken later: same hosts, another id and time (what every collection of an idle cluster is). */
export function later(base: Snapshot, n: number, change?: (s: Snapshot) => void): Snapshot {
  const s = structuredClone(base);
  s.id = `later${String(n).padStart(20, '0')}`;
  const t = new Date(Date.parse(base.createdAt) + n * 300_000).toISOString();
  s.createdAt = t;
  for (const h of s.hosts) h.collectedAt = t;
  change?.(s);
  return s;
}

const summaryOf = (s: Snapshot): SnapshotSummary => ({
  id: s.id,
  createdAt: s.createdAt,
  source: s.source,
  hosts: s.hosts.length,
  pods: s.pods.length,
  findings: { info: 0, warning: 0, critical: 0, fatal: 1 },
});

const finding = (key: string): FindingRef => ({
  key,
  rule: 'mac-mismatch-across-tunnel',
  severity: 'fatal',
  message: `finding ${key}`,
  subjects: [`if:${key}`],
});

/**
 * What every store must do, run against SQLite and PostgreSQL alike: `open` gives a new, empty store.
 */
export function storeContract(name: string, open: () => Promise<SnapshotStore>): void {
  describe(`${name} store contract`, () => {
    let store: SnapshotStore;
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    it('gives a snapshot back exactly as it was stored, counters, collection times and Services included', async () => {
      const s = later(seed, 1, (x) => {
        x.kubernetes = {
          services: [{ namespace: 'shop', name: 'web', type: 'ClusterIP', clusterIps: ['10.96.0.10'], ports: [] }],
          endpointSlices: [],
          skipped: 2,
        };
        x.hosts[0]!.collectedAt = '2026-11-25T08:24:22.999Z';
        x.hosts[1]!.collectedAt = 'not a time, kept as written';
        const link = x.hosts[1]!.namespaces[0]!.links[1]!;
        link.stats = {
          rxPackets: 5,
          rxBytes: 700,
          rxErrors: 0,
          rxDropped: 3,
          txPackets: 2,
          txBytes: 9,
          txErrors: 0,
          txDropped: 0,
          rxOtherhostDropped: 3,
        };
      });
      expect(await store.put(s, summaryOf(s), [])).toBe(true);
      expect(await store.get(s.id)).toEqual(s);
      expect(await store.get('nosuchsnapshot00000000000')).toBeUndefined();
    });

    it('stores parts packed as the analysis worker posts them exactly as the snapshot itself', async () => {
      const s = later(seed, 2, (x) => {
        const [a, b] = x.hosts[1]!.namespaces[0]!.links;
        a!.stats = {
          rxPackets: 1,
          rxBytes: 2,
          rxErrors: 3,
          rxDropped: 4,
          txPackets: 5,
          txBytes: 6,
          txErrors: 7,
          txDropped: 8,
        };
        b!.stats = { ...a!.stats, rxPackets: 2 ** 53 + 2, rxOtherhostDropped: 0 };
      });
      // Through a real port, its buffers handed over, as the threads pass them.
      const { port1, port2 } = new MessageChannel();
      const packed = packParts(splitSnapshot(s));
      port1.postMessage(packed, packedTransfer(packed));
      const posted = receiveMessageOnPort(port2)?.message as PackedParts;
      port1.close();
      expect(packed.gz.byteLength).toBe(0);
      expect(await store.putParts(metaOf(s), posted, summaryOf(s), [])).toBe(true);
      expect(await store.get(s.id)).toEqual(s);
      expect(await store.put(s, summaryOf(s), [])).toBe(false);
      const other = later(seed, 2, (x) => {
        x.hosts[1]!.namespaces[0]!.links[0]!.stats = { ...s.hosts[1]!.namespaces[0]!.links[0]!.stats!, txDropped: 9 };
      });
      await expect(
        store.putParts(metaOf(other), packParts(splitSnapshot(other)), summaryOf(other), []),
      ).rejects.toThrow(/immutable/);
    });

    it('treats storing the same snapshot again as done, and refuses another one under its id', async () => {
      expect(await store.put(seed, summaryOf(seed), [])).toBe(true);
      expect(await store.put(seed, summaryOf(seed), [])).toBe(false);
      const other = structuredClone(seed);
      other.source = 'someone else';
      await expect(store.put(other, summaryOf(other), [])).rejects.toThrow(/immutable/);
      expect(await store.count()).toBe(1);
    });

    it('stores the hosts an unchanged cluster repeats once, and a changed host anew', async () => {
      await store.put(seed, summaryOf(seed), []);
      const first = await store.usage();
      for (let n = 1; n <= 5; n++) {
        const s = later(seed, n);
        await store.put(s, summaryOf(s), []);
      }
      expect((await store.usage()).blobs).toBe(first.blobs);
      const changed = later(seed, 6, (x) => {
        x.hosts[1]!.namespaces[0]!.links[1]!.mtu = 1400;
      });
      await store.put(changed, summaryOf(changed), []);
      expect((await store.usage()).blobs).toBe(first.blobs + 1);
      expect((await store.get(changed.id))?.hosts[1]?.namespaces[0]?.links[1]?.mtu).toBe(1400);
      expect(await store.get(later(seed, 3).id)).toEqual(later(seed, 3));
    });

    it('frees on delete what no remaining snapshot shares, and keeps what others still use', async () => {
      const a = later(seed, 1);
      const b = later(seed, 2, (x) => {
        x.hosts[0]!.namespaces[0]!.links[0]!.mtu = 9000;
      });
      await store.put(a, summaryOf(a), []);
      await store.put(b, summaryOf(b), []);
      const both = (await store.usage()).blobs;
      expect(await store.delete([a.id, 'nosuchsnapshot00000000000'])).toEqual([a.id]);
      expect((await store.usage()).blobs).toBe(both - 1);
      expect(await store.get(b.id)).toEqual(b);
      expect(await store.get(a.id)).toBeUndefined();
      await store.delete([b.id]);
      expect(await store.usage()).toMatchObject({ snapshots: 0, blobs: 0 });
    });

    it('keeps derived results per analysis version: another version finds none, a new one replaces it, delete removes them', async () => {
      const a = later(seed, 1);
      const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
      const text = (b: Uint8Array | undefined): string | undefined => b && new TextDecoder().decode(b);
      await store.putDerived(a.id, 'v1', { view: bytes('not stored yet') });
      await store.put(a, summaryOf(a), []);
      expect(await store.getDerived(a.id, 'v1', 'view')).toBeUndefined();
      await store.putDerived(a.id, 'v1', { view: bytes('view 1'), findings: bytes('findings 1') });
      expect(text(await store.getDerived(a.id, 'v1', 'view'))).toBe('view 1');
      expect(text(await store.getDerived(a.id, 'v1', 'findings'))).toBe('findings 1');
      expect(await store.getDerived(a.id, 'v2', 'view')).toBeUndefined();
      await store.putDerived(a.id, 'v2', { view: bytes('view 2') });
      expect(text(await store.getDerived(a.id, 'v2', 'view'))).toBe('view 2');
      expect(await store.getDerived(a.id, 'v1', 'view')).toBeUndefined();
      await store.delete([a.id]);
      await store.put(a, summaryOf(a), []);
      expect(await store.getDerived(a.id, 'v2', 'view')).toBeUndefined();
      expect(await store.getDerived(a.id, 'v1', 'findings')).toBeUndefined();
    });

    it('lists summaries newest first, marking pinned ones', async () => {
      const a = later(seed, 1);
      const b = later(seed, 2);
      await store.put(a, summaryOf(a), []);
      await store.put(b, summaryOf(b), []);
      expect(await store.pin(a.id)).toBe(true);
      expect(await store.pin('nosuchsnapshot00000000000')).toBe(false);
      expect(await store.list()).toEqual([summaryOf(b), { ...summaryOf(a), pinned: true }]);
      expect(await store.summary(a.id)).toEqual({ ...summaryOf(a), pinned: true });
    });

    it('keeps the findings of each snapshot for history, per source and oldest first', async () => {
      const a = later(seed, 1);
      const b = later(seed, 2);
      const other = later(seed, 3, (x) => {
        x.source = 'elsewhere';
      });
      await store.put(b, summaryOf(b), [finding('x'), finding('y')]);
      await store.put(a, summaryOf(a), [finding('x')]);
      await store.put(other, summaryOf(other), [finding('y')]);
      const h = await store.history(seed.source);
      expect(h.entries.map((e) => e.id)).toEqual([a.id, b.id]);
      const keysOf = (i: number) => h.entries[i]!.findings!.map((k) => h.keys.get(k)?.key);
      expect(keysOf(0)).toEqual(['x']);
      expect(keysOf(1)).toEqual(['x', 'y']);
      expect(h.keys.get(h.entries[0]!.findings![0]!)).toEqual(finding('x'));
      expect((await store.history()).entries).toHaveLength(3);
      await store.recordFindings(a.id, []);
      expect((await store.history(seed.source)).entries[0]!.findings).toEqual([]);
    });

    it('stores what hosts may name anything: NUL in a source and in finding keys (as the rules join names)', async () => {
      const s = later(seed, 1, (x) => {
        x.source = 'evil\0source';
      });
      const key = 'mac-mismatch-across-tunnel\0if:podvm/ns\0/vxlan0';
      await store.put(s, summaryOf(s), [finding(key)]);
      expect(await store.get(s.id)).toEqual(s);
      expect((await store.list())[0]?.source).toBe('evil\0source');
      const h = await store.history();
      expect(h.keys.get(h.entries[0]!.findings![0]!)?.key).toBe(key);
    });

    it('lets one server claim each scheduled run, and remembers how runs ended', async () => {
      expect(await store.claimRun(300_000, '1970-01-01T00:05:00.000Z')).toBe(true);
      expect(await store.claimRun(300_000, '1970-01-01T00:05:00.000Z')).toBe(false);
      await store.finishRun(300_000, { outcome: 'failed', message: 'agent down' });
      expect(await store.claimRun(600_000, '1970-01-01T00:10:00.000Z')).toBe(true);
      await store.finishRun(600_000, { outcome: 'stored', snapshot: seed.id });
      expect(await store.runs(10)).toEqual([
        { startedAt: '1970-01-01T00:10:00.000Z', outcome: 'stored', snapshot: seed.id },
        { startedAt: '1970-01-01T00:05:00.000Z', outcome: 'failed', message: 'agent down' },
      ]);
    });

    it('reports the disk it uses', async () => {
      await store.put(seed, summaryOf(seed), []);
      const u = await store.usage();
      expect(u.kind).toBe(store.kind);
      expect(u.bytes).toBeGreaterThan(10_000);
      expect(u.snapshots).toBe(1);
    });
  });
}
