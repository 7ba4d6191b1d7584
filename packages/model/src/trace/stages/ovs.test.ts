import { describe, expect, it } from 'vitest';
import { expectUnknownStop } from '../../testing/unknownStop.ts';
import { OvsAnswers } from '../../ovs/ovsAnswers.ts';
import { ovsTopology } from '../../topology/ovsPorts.ts';
import { SnapshotIndex } from '../../topology/snapshotIndex.ts';
import { OVN, ovnSeed, ovsTraceText } from '../../testing/ovnFixtures.ts';
import { trace } from '../trace.ts';

const ovsHops = (r: ReturnType<typeof trace>) => r.hops.filter((h) => h.component === 'ovs');

describe('a path through Open vSwitch', () => {
  it('crosses br-int on OVS’s recorded answers both ways, from the node to a pod', () => {
    const r = trace(new SnapshotIndex(ovnSeed('ok')), OVN.worker, OVN.podAIp);
    expect(r.verdict).toBe('delivered');
    const decided = ovsHops(r).filter((h) => h.openflow);
    expect(decided.map((h) => [h.direction, h.interface, h.openflow?.answer])).toEqual([
      ['request', 'br-int', 'recorded'],
      ['reply', 'br-int', 'recorded'],
    ]);
    expect(decided[0]?.reason).toBe('br-int sends it out of veth-a');
    expect(decided[0]?.openflow?.rules.map((x) => x.table)).toEqual([0, 10, 20, 30]);
  });

  it('cannot tell, never drops, where the userspace datapath’s switch was not collected (its ports show no master)', () => {
    const snap = ovnSeed('ok');
    const worker = snap.hosts.find((h) => h.name === OVN.worker.host)!;
    delete worker.ovs;
    worker.errors.push({ message: 'ovsdb-client: failed to connect to unix:/run/openvswitch/db.sock' });
    for (const to of [OVN.podAIp, OVN.mp0.ip]) {
      const r = trace(new SnapshotIndex(snap), OVN.podB, to);
      expect(r.verdict).toBe('unknown');
      expect(r.hops.find((h) => h.verdict !== 'ok')!.reason).toContain(
        "veth-b may be a port of Open vSwitch's userspace datapath",
      );
    }
  });

  it('cannot tell, never drops, where a device has no port in what OVSDB answered and some of its rows were not read', () => {
    const snap = ovnSeed('ok');
    const worker = snap.hosts.find((h) => h.name === OVN.worker.host)!;
    // veth-b's Port row is the one that could not be read.
    for (const b of worker.ovs!.bridges) b.ports = b.ports.filter((p) => p.name !== 'veth-b');
    worker.ovs!.unreadRows = 1;
    worker.errors.push({ message: 'OVSDB unix:/run/openvswitch/db.sock: Port veth-b: a name that is not a string' });
    expectUnknownStop(trace(new SnapshotIndex(snap), OVN.podB, OVN.podAIp), [
      "veth-b may be a port of Open vSwitch's userspace datapath",
      "1 OVSDB row of worker could not be read (the host's errors name it)",
    ]);
  });

  it('cannot tell an ARP answer back through the switch where no answer for it was recorded (older snapshots)', () => {
    // Pod b also holds 10.132.2.99, which OVN's ARP responder does not know: br-int floods pod a's
    // request (OVS's own answer to that question, recorded from the lab), and b's answer comes back
    // through br-int, whose answer for it the snapshot lacks, as older hoplens recorded none.
    const snap = ovnSeed('ok');
    const worker = snap.hosts.find((h) => h.name === 'worker')!;
    const podB = worker.namespaces.find((n) => n.name === OVN.podB.netns)!;
    const eth0 = podB.links.find((l) => l.name === 'eth0')!;
    podB.addresses.push({
      ifindex: eth0.ifindex,
      family: 'inet',
      address: '10.132.2.99',
      prefixlen: 24,
      scope: 'global',
    });
    const asked = new OvsAnswers();
    trace(new SnapshotIndex(snap), OVN.podA, '10.132.2.99', { ovsAnswers: asked });
    const [flood] = asked.missing;
    expect(flood?.flow).toMatch(/^arp,in_port=2,.*arp_op=1,.*arp_tpa=10\.132\.2\.99,/);
    worker.ovs!.traces.push({
      bridge: 'br-int',
      flow: flood!.flow,
      output: ovsTraceText('flood'),
      answeredAt: '2026-11-29T00:00:00Z',
    });
    const r = trace(new SnapshotIndex(snap), OVN.podA, '10.132.2.99');
    const neighbor = r.hops.find((h) => h.component === 'neighbor')!;
    expect(neighbor.verdict).toBe('unknown');
    expect(neighbor.reason).toMatch(/no ofproto\/trace answer for this packet on worker.*arp,in_port=3,.*arp_op=2/);
    expect(r.verdict).toBe('unknown');
  });

  it('ends where NetworkPolicy’s ACL drops it, naming the OpenFlow rule', () => {
    const r = trace(new SnapshotIndex(ovnSeed('acl-drop')), OVN.worker, OVN.podBIp);
    expect(r.verdict).toBe('dropped');
    const drop = r.hops.find((h) => h.action === 'dropped');
    expect(drop).toMatchObject({ component: 'ovs', interface: 'br-int', verdict: 'dropped' });
    expect(drop?.reason).toContain('table 10 priority 1001 cookie 0xac10dead (ip,nw_dst=10.132.2.11) → drop');
    expect(drop?.openflow?.datapathActions).toBe('drop');
  });

  it('is unknown offline where no answer was recorded, printing the command to ask the node', () => {
    const answers = new OvsAnswers();
    const r = trace(new SnapshotIndex(ovnSeed('ok')), OVN.podA, OVN.podBIp, { ovsAnswers: answers });
    const stop = expectUnknownStop(r, ['no ofproto/trace answer for this packet on worker']);
    expect(stop?.openflow?.answer).toBe('none');
    expect(stop?.reason).toMatch(
      /run there ovs-appctl -t \/run\/hoplens-lab\/hl-ovnr-\/worker\/ovs\/ovs-vswitchd\.\d+\.ctl ofproto\/trace br-int arp,in_port=2,/,
    );
    expect(answers.missing).toEqual([
      expect.objectContaining({
        host: 'worker',
        bridge: 'br-int',
        flow: expect.stringMatching(/^arp,in_port=2,.*arp_tpa=10\.132\.2\.11,/),
      }),
    ]);
  });

  it('uses an answer asked live when the snapshot has none, then asks the next question', () => {
    const index = new SnapshotIndex(ovnSeed('ok'));
    const answers = new OvsAnswers();
    trace(index, OVN.podA, OVN.podBIp, { ovsAnswers: answers });
    const [arp] = answers.missing;
    // The switch answers ARP for pod b as for every logical port: the answer it gives for the management port, for b.
    const model = [...ovsTopology(index).answers.values()].find(
      (a) => a.flow.startsWith('arp,in_port=2,') && a.flow.includes('arp_tpa=10.132.2.2,'),
    );
    const output = model!.output.replaceAll('sha=0a:58:0a:84:02:02', 'sha=0a:58:0a:84:02:0b');
    answers.add('worker', { ...model!, flow: arp!.flow, output });
    const r = trace(index, OVN.podA, OVN.podBIp, { ovsAnswers: answers });
    expect(r.hops.find((h) => h.component === 'neighbor')?.reason).toContain(
      'ARP would resolve it to 0a:58:0a:84:02:0b',
    );
    expect(r.hops.at(-1)?.openflow).toMatchObject({
      answer: 'none',
      flow: expect.stringMatching(/^icmp,in_port=2,.*nw_dst=10\.132\.2\.11,/),
    });
    expect(answers.missing.map((q) => q.flow.split(',')[0])).toEqual(['icmp']);
  });

  it('is unknown, saying why, where the answer is not one', () => {
    const snapshot = ovnSeed('ok');
    for (const t of snapshot.hosts.find((h) => h.name === 'worker')?.ovs?.traces ?? [])
      t.output = 'ovs-appctl: cannot connect';
    const r = trace(new SnapshotIndex(snapshot), OVN.worker, OVN.podAIp);
    expectUnknownStop(r, ["br-int: OVS's answer cannot be read"]);
  });
});

describe('a TCP connection through Open vSwitch', () => {
  it('is unknown on the userspace datapath, where a port may pass its checksum on unfilled', () => {
    const r = trace(new SnapshotIndex(ovnSeed('ok')), OVN.worker, OVN.podAIp, { proto: 'tcp', port: 8080 });
    const stop = expectUnknownStop(r, ['on the userspace datapath a TCP packet from ovn-k8s-mp0 (an internal port)']);
    expect(stop?.reason).toContain("the sending device's offload settings are not collected");
  });

  it('asks the kernel datapath’s switch with a stand-in for the port the kernel picks, never an invalid flow', () => {
    const snap = ovnSeed('ok');
    for (const b of snap.hosts.flatMap((h) => h.ovs?.bridges ?? [])) b.datapathType = 'system';
    const answers = new OvsAnswers();
    const r = trace(new SnapshotIndex(snap), OVN.worker, OVN.podAIp, { proto: 'tcp', port: 8080, ovsAnswers: answers });
    expect(r.verdict).toBe('unknown');
    const tcp = answers.missing.find((q) => q.flow.startsWith('tcp,'));
    expect(tcp?.flow).toMatch(/,tp_src=32768,tp_dst=8080,tcp_flags=0x002$/);
    expect(tcp).not.toHaveProperty('standIns');
  });
});
