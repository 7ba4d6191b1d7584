import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { generateCluster, mulberry32 } from '@hoplens/lab';
import { analyze, countBySeverity, findingKeys, type LinkStats, type Snapshot } from '@hoplens/model';
import { SqliteStore } from '@hoplens/server';
import { progress } from '../childRun.ts';
import { percentile } from '../stats.ts';

/**
 * A day of collections through the real SQLite store: the synthetic cluster stored `collections`
 * times, 5 minutes apart, each time with `changing` hosts changed (a link's MTU, a neighbour's MAC)
 * and everything else as it was. With `--counters`, every link also carries counters that change
 * at every collection, as a busy cluster's would. Prints the bytes on disk after each phase.
 */
const { values } = parseArgs({
  options: {
    nodes: { type: 'string' },
    collections: { type: 'string' },
    changing: { type: 'string', default: '3' },
    counters: { type: 'boolean', default: false },
  },
});
const nodes = Number(values.nodes);
const collections = Number(values.collections);
const changing = Number(values.changing);
const rand = mulberry32(7);

const base = generateCluster({ nodes, podsPerNode: 10, peerPodShare: 0.3, faults: 3, seed: 1 }).snapshot;
const analysis = analyze(base);
// The changes below touch no finding: the findings of the first snapshot stand for every one.
const findings = [...findingKeys(analysis)].map(([key, f]) => ({
  key,
  rule: f.rule,
  severity: f.severity,
  message: f.message,
  subjects: f.subjects,
}));
const counts = countBySeverity(analysis.findings);
const wholeGzip = gzipSync(JSON.stringify(base)).length;
progress(`history: ${base.hosts.length} hosts, ${findings.length} findings, ${wholeGzip} bytes gzipped whole`);

const dir = mkdtempSync(join(tmpdir(), 'hoplens-bench-history-'));
try {
  let store = new SqliteStore(join(dir, 'history.db'));
  const current = structuredClone(base);
  const start = Date.parse('2026-11-26T00:00:00.000Z');
  const putMs: number[] = [];
  let firstBytes = 0;
  for (let n = 0; n <= collections; n++) {
    const at = new Date(start + n * 300_000).toISOString();
    if (n > 0) for (let k = 0; k < changing; k++) change(current, Math.floor(rand() * current.hosts.length), n);
    const snapshot: Snapshot = { ...current, id: `history${String(n).padStart(16, '0')}`, createdAt: at };
    snapshot.hosts = current.hosts.map((h) => ({ ...h, collectedAt: at }));
    if (values.counters) withCounters(snapshot, n);
    const t = performance.now();
    await store.put(
      snapshot,
      {
        id: snapshot.id,
        createdAt: at,
        source: 'sources',
        hosts: snapshot.hosts.length,
        pods: snapshot.pods.length,
        findings: counts,
      },
      findings,
    );
    putMs.push(performance.now() - t);
    if (n === 0) {
      // Closing folds SQLite's WAL into the file: sizes before and after the day are comparable.
      await store.close();
      firstBytes = onDisk();
      store = new SqliteStore(join(dir, 'history.db'));
    }
    if (n % 48 === 0) progress(`history: ${n}/${collections} stored, ${(await store.usage()).bytes} bytes`);
  }
  const usage = await store.usage();
  const last = await store.get(`history${String(collections).padStart(16, '0')}`);
  await store.close();
  const total = onDisk();
  process.stdout.write(
    `${JSON.stringify({
      hosts: base.hosts.length,
      collections,
      changing,
      counters: values.counters,
      firstBytes,
      onDiskBytes: total,
      addedBytes: total - firstBytes,
      blobs: usage.blobs,
      wholeGzipBytes: wholeGzip,
      putP50Ms: percentile(putMs.slice(1), 50),
      putP99Ms: percentile(putMs.slice(1), 99),
      roundTripOk: last?.hosts.length === base.hosts.length,
    })}\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function onDisk(): number {
  return readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
}

/** One host changes: the MTU of one of its links, or the MAC of one of its neighbour entries. */
function change(s: Snapshot, h: number, n: number): void {
  const host = s.hosts[h]!;
  const ns = host.namespaces[Math.floor(rand() * host.namespaces.length)]!;
  const neighbor = ns.neighbors[0];
  if (neighbor && rand() < 0.5)
    neighbor.mac = `02:aa:00:${[n >> 8, n & 255, h & 255].map((x) => x.toString(16).padStart(2, '0')).join(':')}`;
  else {
    const link = ns.links[Math.floor(rand() * ns.links.length)];
    if (link) link.mtu = link.mtu === 1500 ? 1450 : 1500;
  }
}

/** Counters on every link, different at every collection (traffic never stops in a busy cluster). */
function withCounters(s: Snapshot, n: number): void {
  s.hosts = s.hosts.map((h, i) => ({
    ...h,
    namespaces: h.namespaces.map((ns, j) => ({
      ...ns,
      links: ns.links.map((l, k) => {
        const x = (i * 131 + j * 17 + k) * 1000 + n * 977;
        const stats: LinkStats = {
          rxPackets: x * 3,
          rxBytes: x * 3 * 870,
          rxErrors: 0,
          rxDropped: n % 7,
          txPackets: x * 2,
          txBytes: x * 2 * 910,
          txErrors: 0,
          txDropped: 0,
        };
        return { ...l, stats };
      }),
    })),
  }));
}
