import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { readStoredSnapshot } from '@hoplens/model';
import { SqliteStore } from '@hoplens/server';
import { partTexts } from '../../../apps/server/src/store/partTexts.ts';
import { readStoredRow } from '../../../apps/server/src/store/snapshotParts.ts';
import { storedDigest, markOf } from '../../../apps/server/src/store/storedMark.ts';
import { storedSchemaId } from '../../../apps/server/src/store/storedSchemaId.ts';
import { benchCluster } from '../benchCluster.ts';

/**
 * Load of the model bench's stored 5,000-node snapshot, A/B in one process: `store.get` of the row
 * as stored (marked as checked: no schema walk) against the same row with its mark cleared (the
 * full check, as before), alternating; then each phase alone: the SQLite read, the digest, inflating
 * alone, inflating+parsing+joining (readStoredRow), the schema check. `--db FILE` keeps the store
 * between runs.
 */
const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    nodes: { type: 'string', default: '5000' },
    pods: { type: 'string', default: '30' },
    rounds: { type: 'string', default: '3' },
  },
});
const db = values.db!;
if (!existsSync(db)) {
  const { snapshot } = benchCluster(values.nodes, values.pods);
  const store = new SqliteStore(db);
  const summary = { id: snapshot.id, createdAt: snapshot.createdAt, source: snapshot.source, hosts: 0, pods: 0 };
  await store.put(snapshot, { ...summary, findings: { info: 0, warning: 0, critical: 0, fatal: 0 } }, []);
  await store.close();
  writeFileSync(`${db}.id`, snapshot.id);
}
const id = readFileSync(`${db}.id`, 'utf8');
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const store = new SqliteStore(db);
const row = await store.getRow(id);
if (row?.layout !== 'manifest') throw new Error('no manifest row');
const manifest = JSON.parse(gunzipSync(row.manifest).toString('utf8')) as {
  hosts: number[];
  pods: number[];
  kube?: number[];
};
const order = [...manifest.hosts, ...manifest.pods, ...(manifest.kube ?? [])];
let t = [performance.now(), cpuMs()];
const mark = markOf(storedSchemaId(), storedDigest(row.manifest, order, row.blobs));
const digestMs = [performance.now() - t[0]!, cpuMs() - t[1]!];
process.stdout.write(`${JSON.stringify({ digestMs, marked: row.checked === mark })}\n`);
for (let r = 0; r < Number(values.rounds); r++) {
  for (const marked of r % 2 === 0 ? [true, false] : [false, true]) {
    await store.sql.run('UPDATE snapshots SET checked = ? WHERE id = ?', [marked ? mark : null, id]);
    (globalThis as { gc?: () => void }).gc?.();
    t = [performance.now(), cpuMs()];
    const got = await store.get(id);
    const ms = Math.round(performance.now() - t[0]!);
    const cpu = Math.round(cpuMs() - t[1]!);
    process.stdout.write(`${JSON.stringify({ round: r, marked, ms, cpu, pods: got?.pods.length })}\n`);
  }
}
await store.sql.run('UPDATE snapshots SET checked = ? WHERE id = ?', [mark, id]);
// The parts alone, several times each (the minimum is the least disturbed by other processes), with
// the main thread's GC pauses that started within each (PerformanceObserver delivers them later).
const fresh = (await store.getRow(id))!;
const pauses: { start: number; ms: number }[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) pauses.push({ start: e.startTime, ms: e.duration });
}).observe({ entryTypes: ['gc'] });
const part = async (name: string, run: () => unknown): Promise<void> => {
  (globalThis as { gc?: () => void }).gc?.();
  t = [performance.now(), cpuMs()];
  await run();
  const [end, cpu] = [performance.now(), cpuMs() - t[1]!];
  await new Promise((r) => setTimeout(r, 100));
  const gcMs = pauses.filter((p) => p.start >= t[0]! && p.start < end).reduce((sum, p) => sum + p.ms, 0);
  process.stdout.write(
    `${JSON.stringify({ part: name, ms: Math.round(end - t[0]!), cpu: Math.round(cpu), gcMs: Math.round(gcMs) })}\n`,
  );
};
let value: unknown;
for (let r = 0; r < Number(values.rounds); r++) {
  await part('sqliteRead', () => store.getRow(id));
  await part('digest', () => storedDigest(row.manifest, order, row.blobs));
  await part('inflateOnly', () => {
    const text = partTexts(order, row.blobs);
    for (const i of order) text(i);
  });
  await part('readStoredRow', () => (value = readStoredRow(fresh).value));
  await part('fullCheck', () => readStoredSnapshot(value));
  await part('formatOnly', () => readStoredSnapshot(value, { checked: true }));
  value = undefined;
}
await store.close();
