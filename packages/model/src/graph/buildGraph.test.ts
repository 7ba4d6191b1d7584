import { describe, expect, it } from 'vitest';
import { netnsId, remoteId } from '../ids.ts';
import { F, FILTERS } from '../testing/filterFixtures.ts';
import { GraphSchema, isBrokenEdge, type GraphNode } from '../schema/graph.ts';
import { validate } from '../schema/validate.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { BRIDGED, bridgedOk, linkId, linkIn, nsId, SEED, seedFixed } from '../testing/seedFixtures.ts';
import { buildGraph } from './buildGraph.ts';

describe('buildGraph', () => {
  it('nests interfaces in namespaces in hosts and joins the seed with every edge kind', () => {
    const graph = buildGraph(new SnapshotIndex(seedFixed()));
    const kinds = new Set(graph.edges.map((e) => e.kind));
    expect([...kinds].sort()).toEqual(['contains', 'neighbor', 'tc-redirect', 'underlay', 'veth', 'vxlan-tunnel']);
    const eth0 = graph.nodes.find((n) => n.id === linkId(seedFixed(), SEED.pod, 'eth0'));
    expect(eth0).toMatchObject({ kind: 'interface', parent: nsId(SEED.pod), mac: SEED.podMac, state: 'up' });
    expect(graph.nodes.find((n) => n.id === nsId(SEED.pod))).toMatchObject({ parent: 'host:worker', root: false });
    expect(graph.nodes.some((n) => n.label === 'lo')).toBe(false);
    const tunnel = graph.edges.filter((e) => e.kind === 'vxlan-tunnel');
    expect(tunnel).toHaveLength(1);
    const source = graph.nodes.find((n) => n.id === tunnel[0]!.source);
    expect(source?.kind === 'interface' && source.vxlan?.remote).toBeTruthy();
    expect(tunnel[0]).toMatchObject({
      vni: 555000,
      port: 4789,
      remote: source?.kind === 'interface' && source.vxlan?.remote,
    });
    expect(tunnel[0]).not.toHaveProperty('reason');
    expect(graph.edges.filter((e) => e.kind === 'tc-redirect')).toHaveLength(2);
  });

  it('draws a pod listed twice once, joined once to each namespace either listing names', () => {
    const snap = seedFixed();
    const pod = snap.pods[0]!;
    const other = new SnapshotIndex(snap).rootOf('worker')!.ref;
    snap.pods.push({ ...pod, netns: [...pod.netns, other, other] }, { ...pod, netns: [other, ...pod.netns] });
    const graph = buildGraph(new SnapshotIndex(snap));
    const id = `pod:${pod.namespace}/${pod.name}`;
    expect(graph.nodes.filter((n) => n.id === id)).toHaveLength(1);
    const targets = graph.edges.filter((e) => e.source === id).map((e) => e.target);
    expect(targets).toEqual([...pod.netns.map((r) => netnsId(r)), netnsId(other)]);
    expect(new Set(graph.edges.map((e) => e.id)).size).toBe(graph.edges.length);
  });

  it('draws a broken tunnel edge when the far end has another VNI', () => {
    const snap = seedFixed();
    linkIn(snap, SEED.podns, 'vxlan0').vxlan!.vni = 7;
    const broken = buildGraph(new SnapshotIndex(snap)).edges.filter((e) => e.kind === 'vxlan-tunnel' && e.reason);
    expect(broken.length).toBeGreaterThan(0);
    expect(broken[0]).toMatchObject({ vni: 555000, reason: expect.stringContaining('VNI 555000 here, VNI 7') });
  });

  it('points a tunnel whose remote no host owns at a placeholder for that address', () => {
    const snap = seedFixed();
    linkIn(snap, SEED.pod, 'vxlan1').vxlan!.remote = '192.0.2.77';
    const graph = buildGraph(new SnapshotIndex(snap));
    const remote = remoteId('192.0.2.77');
    expect(graph.nodes.find((n) => n.id === remote)).toMatchObject({ kind: 'remote', address: '192.0.2.77' });
    expect(graph.edges.find((e) => e.target === remote)).toMatchObject({
      kind: 'vxlan-tunnel',
      source: linkId(snap, SEED.pod, 'vxlan1'),
      remote: '192.0.2.77',
      reason: expect.any(String),
    });
  });

  it('draws a tunnel whose other end may be in what a failed collection left out as unknown, not broken', () => {
    const snap = seedFixed();
    const vm = snap.hosts.find((h) => h.name === SEED.podns.host)!;
    vm.namespaces = vm.namespaces.filter((ns) => ns.name !== SEED.podns.netns);
    vm.errors.push({ netns: SEED.podns.netns, message: 'open namespace: Permission denied' });
    const graph = validate(GraphSchema, buildGraph(new SnapshotIndex(snap)), 'graph');
    const edge = graph.edges.find((e) => e.kind === 'vxlan-tunnel' && e.source === linkId(snap, SEED.pod, 'vxlan1'));
    expect(edge).toMatchObject({ untold: expect.stringContaining(`collected without namespace ${SEED.podns.netns}`) });
    expect(edge).not.toHaveProperty('reason');
    expect(isBrokenEdge(edge!)).toBe(false);
    // Gone without a failure, the namespace is not there: the tunnel is broken.
    vm.errors = [];
    const after = buildGraph(new SnapshotIndex(snap)).edges.find((e) => e.id === edge!.id);
    expect(after).toMatchObject({ reason: expect.any(String) });
    expect(after).not.toHaveProperty('untold');
  });

  it('types every fact: state with carrier, numbers as numbers, addresses and IPs as lists', () => {
    const snap = bridgedOk();
    linkIn(snap, BRIDGED.nodeA, 'cni0').carrier = false;
    linkIn(snap, BRIDGED.a2, 'eth0').adminUp = false;
    const graph = validate(GraphSchema, buildGraph(new SnapshotIndex(snap)), 'graph');
    const node = (id: string): GraphNode | undefined => graph.nodes.find((n) => n.id === id);
    expect(node(linkId(snap, BRIDGED.nodeA, 'cni0'))).toMatchObject({ linkKind: 'bridge', state: 'no-carrier' });
    expect(node(linkId(snap, BRIDGED.a2, 'eth0'))).toMatchObject({ linkKind: 'veth', state: 'down' });
    const eth0 = node(linkId(snap, BRIDGED.a3, 'eth0'));
    expect(eth0).toMatchObject({ state: 'up', mtu: 1500, addresses: expect.arrayContaining(['10.244.1.3']) });
    expect(node(nsId(BRIDGED.nodeA))).toMatchObject({ kind: 'netns', root: true });
    expect(node('host:node-a')).toMatchObject({ kind: 'host', hostKind: 'node', errors: 0 });
    const pod = graph.nodes.find((n) => n.kind === 'pod');
    expect(pod).toMatchObject({ namespace: expect.any(String), ips: [expect.any(String)] });
    const neighbor = graph.edges.find((e) => e.kind === 'neighbor');
    expect(neighbor).toMatchObject({ ip: expect.any(String), mac: expect.any(String), state: expect.any(Array) });
  });
});

describe('a namespace node shows its firewall at a glance', () => {
  const netnsNode = (snap: ReturnType<typeof FILTERS.brForwardDrop>, ref: { host: string; netns: string }) =>
    buildGraph(new SnapshotIndex(snap)).nodes.find((n) => n.id === netnsId(ref));

  it("counts the tables, chains and rules of a node's collected firewall (a filter table with only a DROP policy)", () => {
    const node = netnsNode(FILTERS.brForwardDrop(), F.na);
    expect(node?.kind === 'netns' && node.firewall).toEqual({ tables: 1, chains: 3, rules: 0 });
  });

  it('says nothing about a firewall that was not collected', () => {
    const snap = FILTERS.brForwardDrop();
    for (const h of snap.hosts) for (const ns of h.namespaces) delete ns.firewall;
    const node = netnsNode(snap, F.na);
    expect(node?.kind === 'netns' && 'firewall' in node).toBe(false);
  });
});

describe('a pod node', () => {
  it("says when it was inferred from its network namespace (its namespace is then hoplens'), and only then", () => {
    const snap = seedFixed();
    const inferred = snap.pods.find((p) => p.inferred)!;
    const named = { ...inferred, name: 'web-0', namespace: 'shop', inferred: false };
    const graph = buildGraph(new SnapshotIndex({ ...snap, pods: [inferred, named] }));
    const pods = graph.nodes.filter((n) => n.kind === 'pod');
    expect(pods.find((n) => n.label === inferred.name)).toMatchObject({
      namespace: inferred.namespace,
      inferred: true,
    });
    expect(pods.find((n) => n.label === 'web-0')).not.toHaveProperty('inferred');
    validate(GraphSchema, graph, 'graph');
  });
});
