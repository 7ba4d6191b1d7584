import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateCluster } from '@hoplens/lab';
import { buildApp, SnapshotService, SqliteStore } from '@hoplens/server';
import { progress } from '../childRun.ts';

/**
 * The real server (same app, hooks and store as `hoplens start`) holding one synthetic snapshot,
 * listening on loopback. Prints one JSON line with its URL once the analysis is warm, then serves
 * until the parent closes stdin. Runs apart from the load generator so they do not share a thread.
 */
const { values } = parseArgs({ options: { nodes: { type: 'string' }, pods: { type: 'string', default: '30' } } });
const nodes = Number(values.nodes);
const { snapshot, pods } = generateCluster({
  nodes,
  podsPerNode: Number(values.pods),
  peerPodShare: 0.1,
  faults: 10,
  seed: 42,
});
const dir = mkdtempSync(join(tmpdir(), 'hoplens-bench-server-'));
const store = new SqliteStore(join(dir, 'bench.db'));
const service = new SnapshotService(store, undefined);
const summary = await service.import(snapshot);
// Every host's focused view is rendered in the background once a snapshot is analysed; wait for it.
const t = performance.now();
const hostViews = await service.hostViewsReady(summary.id);
const prerenderMs = performance.now() - t;
progress(`server: ${hostViews} host views of ${nodes} nodes rendered in ${prerenderMs.toFixed(0)} ms`);
const app = await buildApp({ service });
const url = await app.listen({ host: '127.0.0.1', port: 0 });

const shutdown = async (): Promise<void> => {
  await app.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
};
process.stdin.on('end', () => void shutdown());
process.stdin.resume();

process.stdout.write(
  `${JSON.stringify({
    url,
    id: summary.id,
    findings: Object.values(summary.findings).reduce((n, c) => n + c, 0),
    prerenderMs,
    hostViews,
    // Targets for the load generator: one per node, and pod→pod trace pairs.
    hosts: snapshot.hosts.filter((h) => h.kind === 'node').map((h) => h.name),
    pods: pods.slice(0, 2000).map((p) => ({ from: `${p.netns.host}/${p.netns.netns ?? ''}`, ip: p.ip })),
  })}\n`,
);
