import { describe, expect, it } from 'vitest';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { BRIDGED, bridgedOk, linkIn, nsIn, SEED, seedBroken, seedFixed } from '../testing/seedFixtures.ts';
import { trace, TraceInputError } from './trace.ts';

describe('trace on the recorded seed lab', () => {
  it('drops the ping at the pod VM interface whose MAC differs from the worker eth0 MAC', () => {
    const result = trace(new SnapshotIndex(seedBroken()), SEED.worker, SEED.podIp);
    expect(result.verdict).toBe('dropped');
    const last = result.hops.at(-1)!;
    expect(last).toMatchObject({
      host: 'podvm',
      netns: SEED.podns.netns,
      interface: 'vxlan0',
      component: 'l2-receive',
      action: 'dropped',
    });
    expect(last.reason).toContain(SEED.podMac);
    expect(last.reason).toContain(SEED.vmMac);
    expect(last.fix).toContain(`ip netns exec ${SEED.podns.netns} ip link set dev vxlan0 address ${SEED.podMac}`);
    expect(result.hops.every((h) => h.direction === 'request')).toBe(true);
  });

  it('walks routing, neighbor, veth, tc, encap, underlay and decap in the kernel order', () => {
    const result = trace(new SnapshotIndex(seedBroken()), SEED.worker, SEED.podIp);
    expect(result.hops.map((h) => h.component)).toEqual([
      'routing',
      'neighbor',
      'veth',
      'tc',
      'vxlan-encap',
      'routing',
      'neighbor',
      'underlay',
      'l2-receive',
      'vxlan-decap',
      'l2-receive',
    ]);
    // The vxlan1 socket stayed in the worker root although the device sits in the pod netns.
    expect(result.hops[4]!.reason).toContain(`socket in worker/${SEED.worker.netns}`);
  });

  it('delivers the ping and its reply when the pod VM MAC matches', () => {
    const result = trace(new SnapshotIndex(seedFixed()), SEED.worker, SEED.podIp);
    expect(result.verdict).toBe('delivered');
    const reply = result.hops.filter((h) => h.direction === 'reply');
    expect(reply.at(-1)).toMatchObject({
      host: 'worker',
      netns: SEED.worker.netns,
      component: 'local-delivery',
      action: 'delivered',
    });
    // The reply passes vxlan1's ingress redirect, so vxlan1's own MAC never matters.
    expect(reply.some((h) => h.component === 'tc' && h.interface === 'vxlan1')).toBe(true);
  });

  it('drops a reply that ends in another namespace holding the sender’s address (a peer pod without its redirect)', () => {
    const snap = seedFixed();
    const podns = { ...SEED.podns };
    // The pod's eth0 on the worker no longer redirects what arrives to vxlan1: the gateway's reply
    // to the pod IP is taken by the worker's pod netns, which holds that IP too, not by the pod VM.
    expect(trace(new SnapshotIndex(snap), podns, '10.132.2.1').verdict).toBe('delivered');
    const pod = nsIn(snap, SEED.pod);
    pod.tcFilters = pod.tcFilters.filter((f) => !(f.dev === 'eth0' && f.direction === 'ingress'));
    const result = trace(new SnapshotIndex(snap), podns, '10.132.2.1');
    expect(result.verdict).toBe('dropped');
    expect(result.hops.find((h) => h.verdict !== 'ok')).toMatchObject({
      direction: 'reply',
      host: 'worker',
      netns: SEED.pod.netns,
      component: 'local-delivery',
      dropReason: 'NO_SOCKET',
    });
    expect(result.hops.at(-1)!.reason).toContain(`the request was sent from podvm/${SEED.podns.netns}`);
  });

  it('drops at decapsulation when the two tunnel ends disagree on the VNI', () => {
    const snap = seedFixed();
    linkIn(snap, SEED.podns, 'vxlan0').vxlan!.vni = 555001;
    const result = trace(new SnapshotIndex(snap), SEED.worker, SEED.podIp);
    expect(result.verdict).toBe('dropped');
    expect(result.hops.at(-1)).toMatchObject({ component: 'vxlan-decap' });
    expect(result.hops.at(-1)!.reason).toContain('VNI 555000 matches no device');
  });

  it('says unknown, not dropped, where the namespace that would take the tunnel could not be read', () => {
    const snap = seedFixed();
    const vm = snap.hosts.find((h) => h.name === SEED.podns.host)!;
    vm.namespaces = vm.namespaces.filter((ns) => ns.name !== SEED.podns.netns);
    const absent = trace(new SnapshotIndex(snap), SEED.worker, SEED.podIp);
    // Gone without a failure, the namespace is not there: the kernel drops the packet.
    expect(absent.verdict).toBe('dropped');
    expect(absent.hops.at(-1)).toMatchObject({ component: 'vxlan-decap', action: 'dropped' });
    vm.errors.push({ netns: SEED.podns.netns, message: 'open namespace: Permission denied' });
    const result = trace(new SnapshotIndex(snap), SEED.worker, SEED.podIp);
    expect(result.verdict).toBe('unknown');
    expect(result.hops.at(-1)).toMatchObject({ component: 'vxlan-decap', host: SEED.podns.host });
    expect(result.hops.at(-1)!.reason).toContain(`podvm (collected without namespace ${SEED.podns.netns})`);
    // A failure inside a namespace that was read leaves nothing out: the verdict stands.
    vm.errors = [{ netns: SEED.vm.netns, command: ['iptables-save'], message: 'timed out' }];
    expect(trace(new SnapshotIndex(snap), SEED.worker, SEED.podIp).verdict).toBe('dropped');
  });

  it('drops at a device that is administratively down', () => {
    const snap = seedFixed();
    linkIn(snap, SEED.podns, 'vxlan0').adminUp = false;
    const result = trace(new SnapshotIndex(snap), SEED.worker, SEED.podIp);
    expect(result.verdict).toBe('dropped');
    expect(result.hops.at(-1)!.reason).toContain('vxlan0 is administratively down');
  });

  it('drops with "no route" when nothing matches the destination', () => {
    const result = trace(new SnapshotIndex(seedFixed()), SEED.worker, '172.31.9.9');
    expect(result).toMatchObject({
      verdict: 'dropped',
      hops: [{ component: 'routing', reason: 'no route to 172.31.9.9' }],
    });
  });

  it('refuses a source namespace or destination the snapshot does not have', () => {
    const index = new SnapshotIndex(seedFixed());
    expect(() => trace(index, { host: 'worker', netns: 'nope' }, SEED.podIp)).toThrow(TraceInputError);
    expect(() => trace(index, SEED.worker, 'not-an-ip')).toThrow('not an IP address');
  });
});

describe('trace: MTU, VXLAN forwarding entries and policy rules', () => {
  it('drops a DF packet larger than the veth peer’s MTU where the kernel does, and fragments one without DF', () => {
    const snap = bridgedOk();
    linkIn(snap, BRIDGED.nodeA, 'veth3').mtu = 1400;
    // A bridge takes the smallest MTU of its ports, as the kernel does.
    linkIn(snap, BRIDGED.nodeA, 'cni0').mtu = 1400;
    const index = new SnapshotIndex(snap);
    const big = trace(index, BRIDGED.a3, '10.244.1.1', { size: 1472, df: true });
    expect(big.verdict).toBe('dropped');
    expect(big.hops.at(-1)).toMatchObject({ component: 'veth', interface: 'veth3' });
    expect(big.hops.at(-1)!.reason).toContain('exceeds the MTU 1400 of its peer veth3');
    // Without DF, eth0 (MTU 1500) sends it whole and veth3 drops it all the same.
    expect(trace(index, BRIDGED.a3, '10.244.1.1', { size: 1472 }).verdict).toBe('dropped');
    // From the node, cni0 (MTU 1400 here) fragments the request and the fragments fit; but the pod's
    // 1500-byte reply leaves eth0 (MTU 1500) whole, and veth3 drops it.
    const fromNode = trace(index, BRIDGED.nodeA, '10.244.1.3', { size: 1472 });
    expect(fromNode.verdict).toBe('dropped');
    expect(fromNode.hops.at(-1)).toMatchObject({ direction: 'reply', component: 'veth', interface: 'veth3' });
    expect(trace(index, BRIDGED.nodeA, '10.244.1.3', { size: 1472, df: true }).verdict).toBe('dropped');
  });

  it('sends to a learnt VXLAN forwarding entry before the device’s default remote', () => {
    const snap = seedFixed();
    linkIn(snap, SEED.pod, 'vxlan1').vxlan!.remote = '192.168.200.9';
    const pod = nsIn(snap, SEED.pod);
    // The recording has the entry vxlan1 learnt from the pod VM's first packet; without it, .9 it is.
    expect(pod.fdb?.some((e) => e.dev === 'vxlan1' && e.dst === '192.168.200.2')).toBe(true);
    pod.fdb = [];
    expect(trace(new SnapshotIndex(snap), SEED.worker, SEED.podIp).verdict).toBe('dropped');
    pod.fdb = [{ mac: SEED.podMac, dev: 'vxlan1', dst: '192.168.200.2', flags: ['self'], state: 'dynamic' }];
    const learnt = trace(new SnapshotIndex(snap), SEED.worker, SEED.podIp);
    expect(learnt.verdict).toBe('delivered');
    expect(learnt.hops.find((h) => h.component === 'vxlan-encap')!.reason).toContain('forwarding entry for');
  });

  it('routes forwarded pod traffic by policy rules and says which rule stopped it', () => {
    const snap = bridgedOk();
    nsIn(snap, BRIDGED.nodeA).rules!.push({
      family: 'inet',
      priority: 100,
      src: '10.244.1.0/24',
      invert: false,
      action: 'blackhole',
    });
    const index = new SnapshotIndex(snap);
    const fromPod = trace(index, BRIDGED.a2, '10.244.2.2');
    expect(fromPod.verdict).toBe('dropped');
    expect(fromPod.hops.at(-1)!.reason).toBe('policy rule 100 from 10.244.1.0/24 ends the lookup: blackhole');
    // The node's own packets have no pod source: the rule does not match them.
    expect(trace(index, BRIDGED.nodeA, '10.244.2.2').verdict).toBe('delivered');
  });

  it('delivers a frame for a bridge port’s own MAC to the bridge, as its local fdb entry does', () => {
    // The bridge took its lowest port's MAC; a port joining later moved it, and the pod kept the old one.
    const snap = bridgedOk();
    const veth2 = linkIn(snap, BRIDGED.nodeA, 'veth2');
    const a2 = nsIn(snap, BRIDGED.a2);
    a2.neighbors = [{ ip: '10.244.1.1', dev: 'eth0', mac: veth2.mac!, state: ['REACHABLE'] }];
    const result = trace(new SnapshotIndex(snap), BRIDGED.a2, '10.244.1.1');
    expect(result.verdict).toBe('delivered');
    expect(result.hops.find((h) => h.component === 'l2-receive' && h.interface === 'cni0')?.reason).toContain(
      'the address of its port veth2: local to the bridge',
    );
  });

  it('forwards a frame for the bridge’s own MAC to the port a static entry replacing its local one names', () => {
    // `bridge fdb replace <cni0's MAC> dev veth2 master static`: the entry is no longer local, and
    // the bridge sends what the pods address to their gateway out of veth2, whose pod drops it.
    const snap = bridgedOk();
    const cni0 = linkIn(snap, BRIDGED.nodeA, 'cni0');
    const node = nsIn(snap, BRIDGED.nodeA);
    const own = node.fdb!.find((e) => e.mac === cni0.mac && e.state === 'permanent')!;
    expect(trace(new SnapshotIndex(snap), BRIDGED.a3, '10.244.1.1').verdict).toBe('delivered');
    Object.assign(own, { dev: 'veth2', state: 'static' });
    const result = trace(new SnapshotIndex(snap), BRIDGED.a3, '10.244.1.1');
    expect(result.verdict).toBe('dropped');
    expect(result.hops.find((h) => h.verdict !== 'ok')).toMatchObject({
      netns: BRIDGED.a2.netns,
      dropReason: 'OTHERHOST',
    });
  });

  it('drops what the bridge’s own stack sends to its own MAC, which a pod took as its own', () => {
    // The bridge's address as its own entry (set explicitly, no port's): br_dev_xmit finds it and
    // sends nowhere, so the gateway's ARP answer to a pod wearing that MAC never leaves the bridge.
    const snap = bridgedOk();
    const cni0 = linkIn(snap, BRIDGED.nodeA, 'cni0');
    const node = nsIn(snap, BRIDGED.nodeA);
    const own = node.fdb!.find((e) => e.mac === cni0.mac && e.state === 'permanent')!;
    Object.assign(own, { dev: 'cni0' });
    linkIn(snap, BRIDGED.nodeA, 'veth3').mac = '02:00:00:00:0b:03';
    node.fdb!.push({ mac: '02:00:00:00:0b:03', dev: 'veth3', master: 'cni0', flags: [], state: 'permanent' });
    expect(trace(new SnapshotIndex(snap), BRIDGED.a2, '10.244.1.1').verdict).toBe('delivered');
    linkIn(snap, BRIDGED.a2, 'eth0').mac = cni0.mac;
    nsIn(snap, BRIDGED.a2).neighbors = [];
    node.neighbors = node.neighbors.filter((n) => n.ip !== '10.244.1.2');
    const result = trace(new SnapshotIndex(snap), BRIDGED.a2, '10.244.1.1');
    expect(result.verdict).toBe('dropped');
    expect(result.hops.find((h) => h.verdict !== 'ok')).toMatchObject({
      netns: BRIDGED.a2.netns,
      component: 'neighbor',
    });
    // Had the bridge taken a port's address, the entry would be that port's, and the frame would leave by it.
    Object.assign(own, { dev: 'veth2' });
    const viaPort = trace(new SnapshotIndex(snap), BRIDGED.a2, '10.244.1.1');
    expect(viaPort.hops.some((h) => h.reason.includes("the bridge's own address"))).toBe(false);
  });

  it('refuses a payload ping could not send', () => {
    expect(() => trace(new SnapshotIndex(seedFixed()), SEED.worker, SEED.podIp, { size: 70_000 })).toThrow(
      TraceInputError,
    );
  });
});
