import { describe, expect, it } from 'vitest';
import { analyze, GraphFocus, hostId, interfaceId, readSnapshot, trace } from '@hoplens/model';
import { generateCluster } from './generateCluster.ts';
import { mulberry32 } from './random.ts';

const opts = { nodes: 12, podsPerNode: 10, peerPodShare: 0.3, faults: 3, seed: 7 };

describe('generateCluster', () => {
  const cluster = generateCluster(opts);
  const analysis = analyze(cluster.snapshot);

  it('is deterministic and a valid snapshot', () => {
    expect(JSON.stringify(generateCluster(opts).snapshot)).toBe(JSON.stringify(cluster.snapshot));
    expect(() => readSnapshot(JSON.parse(JSON.stringify(cluster.snapshot)))).not.toThrow();
    expect(cluster.snapshot.pods).toHaveLength(opts.nodes * opts.podsPerNode);
  });

  it('fires the MAC-mismatch rule exactly on the injected faults', () => {
    expect(cluster.faults).toHaveLength(3);
    const fired = analysis.findings.filter((f) => f.rule === 'mac-mismatch-across-tunnel');
    const expected = cluster.faults.map((f) => interfaceId({ ...f.vmNetns, ifindex: 3 })).sort();
    expect(fired.map((f) => f.subjects[1]).sort()).toEqual(expected);
    expect(analysis.findings.every((f) => f.severity !== 'warning')).toBe(true);
  });

  // The fault lives in the node's PERMANENT entry for the peer pod (the worker-side pod MAC, not the
  // pod VM's): traffic routed through the node uses it and dies as OTHERHOST in the pod VM. A pod on
  // the same node and subnet asks ARP itself; the request crosses the tc redirect and the pod VM
  // answers with its own MAC, so that pair works, as it does on the kernel.
  it('delivers pod-to-pod traces across nodes, the router and peer-pod tunnels, and drops through the node to a faulty pod VM', () => {
    const bad = new Set(cluster.faults.map((f) => `${f.vmNetns.host}`));
    const subnet = (ip: string): string => ip.split('.').slice(0, 3).join('.');
    const rand = mulberry32(1);
    let delivered = 0;
    let dropped = 0;
    let sameSubnetToFaulty = 0;
    for (let n = 0; n < 200; n++) {
      const a = cluster.pods[Math.floor(rand() * cluster.pods.length)]!;
      const b = cluster.pods[Math.floor(rand() * cluster.pods.length)]!;
      const result = trace(analysis.index, a.netns, b.ip);
      const faulty = bad.has(a.netns.host) || bad.has(cluster.pods.find((p) => p.ip === b.ip)!.netns.host);
      const routed = subnet(a.ip) !== subnet(b.ip);
      if (faulty && !routed && a.ip !== b.ip) sameSubnetToFaulty++;
      expect(result.verdict, `${a.netns.host}/${a.netns.netns} -> ${b.ip}`).toBe(
        faulty && routed ? 'dropped' : 'delivered',
      );
      if (result.verdict === 'delivered') delivered++;
      else dropped++;
    }
    expect(delivered).toBeGreaterThan(150);
    expect(dropped).toBeGreaterThan(0);
    expect(sameSubnetToFaulty).toBeGreaterThan(0);
  });

  it('focuses on one node without pulling in the rest of the cluster', () => {
    const view = new GraphFocus(analysis.graph).focus(hostId('node-3'));
    const hosts = new Set(view.nodes.filter((n) => n.kind === 'host').map((n) => n.label));
    expect(hosts.has('node-3')).toBe(true);
    // Only its pod VMs (through the tunnels) and the router may appear beside it.
    for (const h of hosts) expect(h === 'node-3' || h === 'router' || h.startsWith('podvm-'), h).toBe(true);
    expect(view.nodes.filter((n) => n.kind === 'pod')).toHaveLength(opts.podsPerNode);
    expect(view.nodes.length).toBeLessThan(analysis.graph.nodes.length / 5);
  });
});
