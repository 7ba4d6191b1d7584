import { describe, expect, it } from 'vitest';
import type { IptablesTable } from '../../schema/firewall.ts';
import { kubeProxyTables, kubeServices } from '../../testing/kubeProxyRuleset.ts';
import { EMPTY, serviceCluster, WEB } from '../../testing/serviceCluster.ts';
import { SnapshotIndex } from '../../topology/snapshotIndex.ts';
import { MAX_BRANCHES, trace } from '../trace.ts';

const toWeb = { proto: 'tcp', port: 80 } as const;
const ruleCount = (tables: readonly IptablesTable[]): number => tables.reduce((n, t) => n + t.rules.length, 0);

describe('kube-proxy rulesets built to hurt', () => {
  it('finds the Service among 100,000 rules and still traces each of its endpoints', () => {
    const tables = kubeProxyTables([...kubeServices(17_000, '10.245'), WEB, EMPTY]);
    expect(ruleCount(tables)).toBeGreaterThanOrEqual(100_000);
    const c = serviceCluster(tables);
    const r = trace(new SnapshotIndex(c.b.snapshot()), c.client.ref, WEB.clusterIp, toWeb);
    expect(r.verdict).toBe('delivered');
    expect(r.branches?.map((b) => b.label)).toEqual(WEB.endpoints.map((ep) => `${ep}:80`));
  });

  it('answers unknown, naming the loop, where an endpoint chain jumps back to its Service chain', () => {
    const tables = kubeProxyTables([WEB]);
    const nat = tables.find((t) => t.name === 'nat')!;
    const svc = nat.chains.find((ch) => ch.name.startsWith('KUBE-SVC-'))!.name;
    const sep = nat.rules.find((rl) => rl.chain.startsWith('KUBE-SEP-'))!.chain;
    nat.rules.unshift({ chain: sep, args: ['-j', svc], packets: 0, bytes: 0 });
    const c = serviceCluster(tables);
    const r = trace(new SnapshotIndex(c.b.snapshot()), c.client.ref, WEB.clusterIp, toWeb);
    expect(r.verdict).toBe('unknown');
    const stop = r.hops.at(-1)!;
    expect(stop).toMatchObject({ component: 'netfilter', verdict: 'unknown' });
    expect(stop.reason).toContain('the chains loop');
  });

  it(`stops at ${MAX_BRANCHES} branches for a Service with more endpoints, and does not call it delivered`, () => {
    const many = { ...WEB, endpoints: Array.from({ length: 300 }, (_, i) => `10.244.${3 + (i >> 8)}.${i & 255}`) };
    const c = serviceCluster(kubeProxyTables([many]));
    const r = trace(new SnapshotIndex(c.b.snapshot()), c.client.ref, WEB.clusterIp, toWeb);
    expect(r.branches).toHaveLength(MAX_BRANCHES);
    expect(r.verdict).toBe('unknown');
    expect(r.summary).toContain(`only the first ${MAX_BRANCHES} branches were traced`);
  });
});
