import { Session } from 'node:inspector/promises';
import fs from 'node:fs';
import { SnapshotIndex, trace } from '@hoplens/model';
import { kubeProxyTables, kubeServices } from '@hoplens/model/testing/kubeProxy';
import { kubeProxyNftTable } from '@hoplens/model/testing/kubeProxyNft';
import { EMPTY, serviceCluster, WEB } from '@hoplens/model/testing/serviceCluster';
const all = [...kubeServices(5000, '10.245'), WEB, EMPTY];
const c = serviceCluster([]);
if (process.argv[3] === 'nft')
  c.na.ns.firewall = { nftables: [kubeProxyNftTable(all)], iptables: [], ipsets: [], gaps: [] };
else c.na.ns.firewall = { nftables: [], iptables: kubeProxyTables(all), ipsets: [], gaps: [] };
const index = new SnapshotIndex(c.b.snapshot());
trace(index, c.client.ref, WEB.clusterIp, { proto: 'tcp', port: 80 });
const others = all.filter((s) => s.endpoints.length > 0 && s !== WEB);
let k = 0;
const next = () => {
  const s = others[(k++ * 7919) % others.length]!;
  trace(index, c.client.ref, s.clusterIp, { proto: 'tcp', port: s.port });
};
for (let i = 0; i < 50; i++) next();
const s = new Session();
s.connect();
await s.post('Profiler.enable');
await s.post('Profiler.setSamplingInterval', { interval: 100 });
await s.post('Profiler.start');
const t0 = performance.now();
const c0 = process.cpuUsage();
const n = Number(process.argv[2] ?? 500);
for (let i = 0; i < n; i++) next();
const per = (performance.now() - t0) / n;
const cpu = process.cpuUsage(c0);
const { profile } = await s.post('Profiler.stop');
fs.writeFileSync('/tmp/svcperf/steady.cpuprofile', JSON.stringify(profile));
console.log(
  'ms per trace',
  per.toFixed(3),
  'cpu ms per trace',
  ((cpu.user + cpu.system) / 1000 / n).toFixed(3),
  'heap MB',
  (process.memoryUsage().heapUsed / 1e6).toFixed(1),
);
