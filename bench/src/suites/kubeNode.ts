import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { labDown, labUp, newLabPrefix, ping } from '@hoplens/lab';
import { denseNodeKubeProxy } from '../kubeProxyNode.ts';
import { progress, runWorker } from '../childRun.ts';
import { SkipSuite, type Figure, type SuiteResult } from '../figure.ts';
import { ms } from '../stats.ts';
import { sameWork } from '../sameWork.ts';
import type { CollectSide } from '../workers/collectRounds.ts';

interface TraceKind {
  readonly count: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly verdicts: Record<string, number>;
  readonly reasons: Record<string, string[]>;
  /** Per verdict, the first flows traced to it (a namespace and an IP). */
  readonly flows: Record<string, { readonly from: string; readonly to: string }[]>;
}
interface KubeNodeRun {
  readonly rounds: number;
  readonly firstMs: number;
  readonly hoplens: CollectSide;
  readonly plotnetcfg: CollectSide;
  readonly indexMs: number;
  readonly inSnapshot: {
    rootIptablesRules: number;
    rootIptablesChains: number;
    rootTables: string[];
    rootIptablesReadBy: string;
  };
  readonly trace: {
    count: number;
    firstMs: number;
    p50Ms: number;
    p99Ms: number;
    maxMs: number;
    cpuP50Ms: number;
    cpuP99Ms: number;
    podToPod: TraceKind;
    podToClusterIp: TraceKind;
  };
}

/**
 * A Kubernetes node's load: the dense-node lab (`pods` bridged pods) whose node namespace also holds
 * kube-proxy's iptables rules for `services` ClusterIP Services (~8 rules each, loaded with
 * iptables-restore as kube-proxy does). hoplens vs plotnetcfg collecting it, then pod→pod and
 * pod→ClusterIP traces over the snapshot hoplens took. Fails unless every rule loaded is in the
 * snapshot and every verdict is one the kernel agrees with (a real ping of each kind's first flow).
 */
export async function kubeNodeSuite(
  pods: '16' | '250',
  services: number,
  rounds: number,
  traces: number,
): Promise<SuiteResult> {
  if (process.getuid?.() !== 0) throw new SkipSuite('building the lab namespaces needs root (CAP_NET_ADMIN)');
  for (const tool of ['plotnetcfg', 'iptables-restore']) {
    if (spawnSync(tool, ['--version']).error) throw new SkipSuite(`${tool} is not installed (pnpm setup installs it)`);
  }
  const prefix = newLabPrefix();
  const dir = mkdtempSync(join(tmpdir(), 'hoplens-bench-kube-'));
  try {
    progress(`kube-node: building a node with ${pods} pod namespaces (${prefix})`);
    const plan = await labUp({ scenario: 'dense-node', variant: pods, prefix });
    const node = plan.hostMap.hosts[0]!.root!;
    const ruleset = denseNodeKubeProxy(services, Number(pods));
    progress(`kube-node: iptables-restore of ${ruleset.rules} kube-proxy rules into ${node}`);
    // A Kubernetes node forwards (kube-proxy and the CNI need it); the lab's node does not by default.
    execFileSync('ip', ['netns', 'exec', node, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    execFileSync('ip', ['netns', 'exec', node, 'iptables-restore'], { input: ruleset.text });
    const loaded = execFileSync('ip', ['netns', 'exec', node, 'iptables-save'], {
      encoding: 'utf8',
      maxBuffer: 64 * 2 ** 20,
    })
      .split('\n')
      .filter((l) => l.startsWith('-A ')).length;
    if (loaded !== ruleset.rules) throw new Error(`kube-node: iptables-save lists ${loaded} of ${ruleset.rules} rules`);

    const hosts = join(dir, 'hosts.json');
    writeFileSync(hosts, JSON.stringify(plan.hostMap));
    const ips = join(dir, 'cluster-ips.json');
    writeFileSync(ips, JSON.stringify(ruleset.services.filter((s) => s.endpoints.length > 0).map((s) => s.clusterIp)));
    const r = await runWorker<KubeNodeRun>('kubeNodeWorker.ts', [
      '--hosts',
      hosts,
      '--rounds',
      String(rounds),
      '--traces',
      String(traces),
      '--cluster-ips',
      ips,
    ]);
    if (r.inSnapshot.rootIptablesRules !== ruleset.rules) {
      throw new Error(`kube-node: the snapshot holds ${r.inSnapshot.rootIptablesRules} of ${ruleset.rules} rules`);
    }
    const kernel = await agreeWithKernel({ podToPod: r.trace.podToPod, podToClusterIp: r.trace.podToClusterIp });
    const verdicts = (k: TraceKind): string =>
      Object.entries(k.verdicts)
        .map(([v, n]) => `${n} ${v}`)
        .join(', ');
    const figures: Figure[] = [
      {
        id: 'kubeNode.hoplens.wall',
        group: 'kubeNode',
        label: `hoplens: ${pods} pods + node with ${ruleset.rules} kube-proxy iptables rules, median wall time`,
        value: ms(r.hoplens.wallMedianMs),
        unit: 'ms',
        note: `${services} Services; first collection ${ms(r.firstMs)} ms; snapshot holds ${r.inSnapshot.rootIptablesRules} rules in ${r.inSnapshot.rootIptablesChains} chains (${r.inSnapshot.rootTables.join(', ')}), read by ${r.inSnapshot.rootIptablesReadBy}; CPU ${ms(r.hoplens.cpuMsPerRun)} ms per collection`,
      },
      {
        id: 'kubeNode.plotnetcfg.wall',
        group: 'kubeNode',
        label: 'plotnetcfg on the same namespaces: median wall time',
        value: ms(r.plotnetcfg.wallMedianMs),
        unit: 'ms',
        note: `CPU ${ms(r.plotnetcfg.cpuMsPerRun)} ms per collection; no firewall, routes, neighbours, fdb or tc`,
      },
      {
        id: 'kubeNode.ratio',
        group: 'kubeNode',
        label: 'hoplens wall time ÷ plotnetcfg wall time, with kube-proxy rules',
        value: ms(r.hoplens.wallMedianMs / r.plotnetcfg.wallMedianMs),
        unit: '×',
        ...(sameWork(r).held ? { goal: { op: '<', value: 1 } as const } : {}),
        note: `${r.rounds} alternating rounds; ${sameWork(r).note}`,
      },
      {
        id: 'kubeNode.trace.p99',
        group: 'kubeNode',
        label: `${r.trace.count} traces over that snapshot (pod→pod, pod→ClusterIP): p99`,
        value: ms(r.trace.p99Ms),
        unit: 'ms',
        goal: { op: '<', value: 20 },
        note: `wall time; p50 ${ms(r.trace.p50Ms)} ms, max ${ms(r.trace.maxMs)} ms, CPU p50 ${ms(r.trace.cpuP50Ms)} ms and p99 ${ms(r.trace.cpuP99Ms)} ms, first ${ms(r.trace.firstMs)} ms (index ${ms(r.indexMs)} ms); pod→pod ${verdicts(r.trace.podToPod)}; pod→ClusterIP (ICMP) ${verdicts(r.trace.podToClusterIp)}; ${kernel}`,
      },
    ];
    return { figures, details: { pods, services, rules: ruleset.rules, prefix, kernel, ...r } };
  } finally {
    await labDown(prefix).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Every verdict must be the kernel's: for each kind of trace and each verdict it gave, its first
 * flows are pinged for real, and `delivered` must answer while anything else must not. A ping to a
 * ClusterIP is never delivered (kube-proxy translates only the Service's TCP port), and a pod→pod
 * ping to a peer pod's worker side dies at ARP (tc redirects it into a tunnel to no one). Throws on
 * a disagreement; returns what was checked.
 */
async function agreeWithKernel(kinds: Record<string, TraceKind>): Promise<string> {
  const checked: string[] = [];
  for (const [kind, k] of Object.entries(kinds)) {
    if (kind === 'podToClusterIp' && (k.verdicts.delivered ?? 0) > 0) {
      throw new Error(`kube-node: a ping to a ClusterIP traced delivered: ${JSON.stringify(k.flows.delivered)}`);
    }
    for (const [verdict, flows] of Object.entries(k.flows)) {
      for (const f of flows) {
        const answered = await ping(f.from, f.to);
        if (answered !== (verdict === 'delivered')) {
          throw new Error(
            `kube-node: ${kind} ${f.from} → ${f.to} traced ${verdict}, the real ping ${answered ? 'answered' : 'did not'}`,
          );
        }
      }
      checked.push(`${kind} ${verdict} ×${flows.length}`);
    }
  }
  return `the kernel agrees with ${checked.join(', ')} (real pings)`;
}
