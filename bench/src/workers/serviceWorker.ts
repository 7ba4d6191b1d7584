import { parseArgs } from 'node:util';
import { SnapshotIndex, trace } from '@hoplens/model';
import { kubeProxyTables, kubeServices } from '@hoplens/model/testing/kubeProxy';
import { EMPTY, serviceCluster, WEB } from '@hoplens/model/testing/serviceCluster';
import { percentile } from '../stats.ts';

const { values } = parseArgs({
  options: { services: { type: 'string', default: '5000' }, traces: { type: 'string', default: '200' } },
});
const services = Number(values.services);
const traces = Number(values.traces);

// A node with kube-proxy's rules for `services` Services (every 50th without endpoints) and WEB's.
const tables = kubeProxyTables([...kubeServices(services, '10.245'), WEB, EMPTY]);
const rules = tables.reduce((n, t) => n + t.rules.length, 0);
const c = serviceCluster(tables);
const index = new SnapshotIndex(c.b.snapshot());
let t0 = performance.now();
const first = trace(index, c.client.ref, WEB.clusterIp, { proto: 'tcp', port: 80 });
const firstMs = performance.now() - t0;
if (first.verdict !== 'delivered' || first.branches?.length !== WEB.endpoints.length)
  throw new Error(`trace to the Service: ${first.verdict}, ${first.summary ?? 'no branches'}`);
const samples: number[] = [];
for (let i = 0; i < traces; i++) {
  t0 = performance.now();
  trace(index, c.client.ref, WEB.clusterIp, { proto: 'tcp', port: 80 });
  samples.push(performance.now() - t0);
}
process.stdout.write(
  `${JSON.stringify({
    services,
    rules,
    branches: first.branches.length,
    firstMs,
    p50Ms: percentile(samples, 50),
    p99Ms: percentile(samples, 99),
    maxMs: Math.max(...samples),
  })}\n`,
);
