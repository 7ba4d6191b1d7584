import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createSnapshot } from '@hoplens/collector';
import { HostMapSchema, SnapshotIndex, trace, validate, type NetnsRef, type TraceResult } from '@hoplens/model';
import { mulberry32 } from '@hoplens/lab';
import { progress } from '../childRun.ts';
import { percentile } from '../stats.ts';
import { collectRounds } from './collectRounds.ts';

/**
 * The kube-proxy node: hoplens against plotnetcfg on its namespaces (collectRounds), then traces
 * over the snapshot hoplens collected, alternating pod→pod and pod→ClusterIP. Each kind reports its
 * verdicts, and for every verdict but `delivered` the distinct reasons of the hop that decided.
 */
const { values } = parseArgs({
  options: {
    hosts: { type: 'string' },
    rounds: { type: 'string', default: '10' },
    traces: { type: 'string', default: '100' },
    'cluster-ips': { type: 'string' },
  },
});
const map = validate(HostMapSchema, JSON.parse(readFileSync(values.hosts!, 'utf8')), 'host map');
const clusterIps = (JSON.parse(readFileSync(values['cluster-ips']!, 'utf8')) as unknown[]).map(String);
const { result: collection, inventory } = await collectRounds(map, Number(values.rounds));

let t = performance.now();
const snapshot = createSnapshot(inventory, 'bench kube-node');
const index = new SnapshotIndex(snapshot);
const indexMs = performance.now() - t;
const root = snapshot.hosts.flatMap((h) => h.namespaces).find((ns) => ns.root);
const rootTables = root?.firewall?.iptables ?? [];
const inSnapshot = {
  rootIptablesRules: rootTables.reduce((n, tb) => n + tb.rules.length, 0),
  rootIptablesChains: rootTables.reduce((n, tb) => n + tb.chains.length, 0),
  rootTables: rootTables.map((tb) => `${tb.backend} ${tb.family} ${tb.name}`),
  firewallGaps: root?.firewall?.gaps.length ?? 0,
  // The netlink backend reads iptables-nft's rules from its own dump; iptables-nft-save only where that fell back.
  rootIptablesReadBy: root?.raw.some((r) => r.command.includes('iptables-nft-save')) ? 'iptables-nft-save' : 'netlink',
};

/** Flows of each verdict kept for the kernel to check. */
const SAMPLE_FLOWS = 3;

interface Kind {
  samples: number[];
  verdicts: Record<string, number>;
  /** Per verdict other than delivered: the distinct "component: reason" of its deciding hop. */
  reasons: Record<string, string[]>;
  /** Per verdict, the first flows traced to it, for real pings to compare with. */
  flows: Record<string, { from: string; to: string }[]>;
}
const kinds: Record<'podToPod' | 'podToClusterIp', Kind> = {
  podToPod: { samples: [], verdicts: {}, reasons: {}, flows: {} },
  podToClusterIp: { samples: [], verdicts: {}, reasons: {}, flows: {} },
};
const deciding = (res: TraceResult): string => {
  const hop = res.hops.find((h) => h.verdict !== 'ok') ?? res.hops.at(-1);
  return hop ? `${hop.component}: ${hop.reason}${hop.rule ? ` [${hop.rule.table} ${hop.rule.chain}]` : ''}` : '';
};
const pods = snapshot.pods.filter((p) => p.netns.length > 0 && p.ips.length > 0);
const rand = mulberry32(15);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
const count = Number(values.traces);
let firstMs = 0;
// CPU beside wall time: on a shared machine a trace's wall time also waits for the others' work.
const cpu: number[] = [];
for (let i = 0; i < count; i++) {
  const kind = i % 2 === 0 ? 'podToPod' : 'podToClusterIp';
  const a = pick(pods);
  let to = pick(clusterIps);
  if (kind === 'podToPod') {
    let b = pick(pods);
    while (b === a) b = pick(pods);
    to = b.ips[0]!;
  }
  const from: NetnsRef = a.netns[0]!;
  const c = process.cpuUsage();
  t = performance.now();
  const res = trace(index, from, to);
  const took = performance.now() - t;
  const used = process.cpuUsage(c);
  cpu.push((used.user + used.system) / 1000);
  if (i === 0) firstMs = took;
  const k = kinds[kind];
  k.samples.push(took);
  k.verdicts[res.verdict] = (k.verdicts[res.verdict] ?? 0) + 1;
  if (res.verdict !== 'delivered') {
    const seen = (k.reasons[res.verdict] ??= []);
    const why = deciding(res);
    if (!seen.includes(why) && seen.length < 5) seen.push(why);
  }
  const flows = (k.flows[res.verdict] ??= []);
  if (flows.length < SAMPLE_FLOWS) flows.push({ from: from.netns ?? '', to });
}
const all = [...kinds.podToPod.samples, ...kinds.podToClusterIp.samples];
const summary = (k: Kind) => ({
  count: k.samples.length,
  p50Ms: percentile(k.samples, 50),
  p99Ms: percentile(k.samples, 99),
  maxMs: Math.max(...k.samples),
  verdicts: k.verdicts,
  reasons: k.reasons,
  flows: k.flows,
});
progress(`kube-node: ${count} traces, p99 ${percentile(all, 99).toFixed(2)} ms`);
process.stdout.write(
  `${JSON.stringify({
    ...collection,
    indexMs,
    inSnapshot,
    trace: {
      count,
      firstMs,
      p50Ms: percentile(all, 50),
      p99Ms: percentile(all, 99),
      maxMs: Math.max(...all),
      cpuP50Ms: percentile(cpu, 50),
      cpuP99Ms: percentile(cpu, 99),
      podToPod: summary(kinds.podToPod),
      podToClusterIp: summary(kinds.podToClusterIp),
    },
  })}\n`,
);
