import { parseArgs } from 'node:util';
import { SnapshotIndex, trace } from '@hoplens/model';
import { kubeProxyTables, kubeServices, type KubeService } from '@hoplens/model/testing/kubeProxy';
import { kubeProxyNftTable } from '@hoplens/model/testing/kubeProxyNft';
import { EMPTY, serviceCluster, WEB } from '@hoplens/model/testing/serviceCluster';
import { percentile } from '../stats.ts';

const { values } = parseArgs({
  options: {
    services: { type: 'string', default: '5000' },
    traces: { type: 'string', default: '200' },
    mode: { type: 'string', default: 'iptables' },
  },
});
const services = Number(values.services);
const traces = Number(values.traces);
const mode = values.mode === 'nftables' ? 'nftables' : 'iptables';

// A node with kube-proxy's rules for `services` Services (every 50th without endpoints) and WEB's.
const all = [...kubeServices(services, '10.245'), WEB, EMPTY];
const c = serviceCluster([]);
if (mode === 'iptables') c.na.ns.firewall = { nftables: [], iptables: kubeProxyTables(all), ipsets: [], gaps: [] };
else c.na.ns.firewall = { nftables: [kubeProxyNftTable(all)], iptables: [], ipsets: [], gaps: [] };
const fw = c.na.ns.firewall;
const rules = fw.iptables.reduce((n, t) => n + t.rules.length, 0) + fw.nftables.reduce((n, t) => n + t.rules.length, 0);
const index = new SnapshotIndex(c.b.snapshot());
const to = (s: KubeService) => trace(index, c.client.ref, s.clusterIp, { proto: 'tcp', port: s.port });

let t0 = performance.now();
const first = to(WEB);
const firstMs = performance.now() - t0;
if (first.verdict !== 'delivered' || first.branches?.length !== WEB.endpoints.length)
  throw new Error(`trace to the Service: ${first.verdict}, ${first.summary ?? 'no branches'}`);

/** Each trace to another Service, so none finds its hooks already evaluated (the snapshot keeps them). */
const others = all.filter((s) => s.endpoints.length > 0 && s !== WEB);
/** Wall time per trace, and the CPU time it took (which a machine shared by many does not inflate). */
const timed = (pick: (i: number) => KubeService): { wall: number[]; cpu: number[] } => {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < traces; i++) {
    const s = pick(i);
    const c0 = process.cpuUsage();
    t0 = performance.now();
    const r = to(s);
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    if (r.branches?.length !== s.endpoints.length)
      throw new Error(`${s.name}: ${r.verdict}, ${r.summary ?? 'no branches'}`);
  }
  return { wall, cpu };
};
const varied = timed((i) => others[(i * 7919) % others.length]!);
const same = timed(() => WEB);
process.stdout.write(
  `${JSON.stringify({
    mode,
    services,
    rules,
    branches: others[0]!.endpoints.length,
    firstMs,
    p50Ms: percentile(varied.wall, 50),
    p99Ms: percentile(varied.wall, 99),
    maxMs: Math.max(...varied.wall),
    cpuP50Ms: percentile(varied.cpu, 50),
    cpuP99Ms: percentile(varied.cpu, 99),
    sameP50Ms: percentile(same.wall, 50),
    sameP99Ms: percentile(same.wall, 99),
  })}\n`,
);
