import { describe, expect, it } from 'vitest';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { BRIDGED, bridgedOk, linkId, linkIn, nsIn } from '../testing/seedFixtures.ts';
import { neighborFailed } from './neighborFailed.ts';

/** bridgedOk with pod a2 routing 10.99.0.0/16 via 10.244.1.254 on eth0, whose entry is FAILED. */
function failedGateway() {
  const snap = bridgedOk();
  const a2 = nsIn(snap, BRIDGED.a2);
  a2.routes.push({
    family: 'inet',
    table: 'main',
    type: 'unicast',
    dst: '10.99.0.0/16',
    gateway: '10.244.1.254',
    dev: 'eth0',
  });
  a2.neighbors = [{ ip: '10.244.1.254', dev: 'eth0', state: ['FAILED'] }];
  return snap;
}

describe('neighbor-failed', () => {
  it('is critical for a gateway that ARP cannot resolve', () => {
    const snap = failedGateway();
    const [f, ...rest] = neighborFailed.run(new SnapshotIndex(snap));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'critical', subjects: [linkId(snap, BRIDGED.a2, 'eth0')] });
    expect(f!.message).toContain('its gateway');
  });

  it('only warns, saying it is unknown, where the way to the gateway leaves what was collected', () => {
    const snap = failedGateway();
    // The node's own namespace, where a2's veth peer and the bridge are, could not be read.
    const node = snap.hosts.find((h) => h.name === BRIDGED.nodeA.host)!;
    node.namespaces = node.namespaces.filter((ns) => ns.name !== BRIDGED.nodeA.netns);
    node.errors.push({ netns: BRIDGED.nodeA.netns, message: 'open namespace: Permission denied' });
    const [f, ...rest] = neighborFailed.run(new SnapshotIndex(snap));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'warning', subjects: [linkId(snap, BRIDGED.a2, 'eth0')] });
    expect(f!.message).toContain('whether anyone answers now is unknown');
  });

  it('only warns for an IPv6 gateway: neighbour discovery is not asked again, so nobody is not known', () => {
    const snap = bridgedOk();
    const a2 = nsIn(snap, BRIDGED.a2);
    a2.routes.push({ family: 'inet6', table: 'main', type: 'unicast', dst: '::/0', gateway: 'fe80::1', dev: 'eth0' });
    a2.neighbors = [{ ip: 'fe80::1', dev: 'eth0', state: ['FAILED'] }];
    const [f, ...rest] = neighborFailed.run(new SnapshotIndex(snap));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'warning' });
    expect(f!.message).toContain('unknown: hoplens does not ask neighbour discovery (IPv6) again');
  });

  it('is critical for a pod’s address nobody answers for, and only a note for an address nobody uses', () => {
    const snap = bridgedOk();
    nsIn(snap, BRIDGED.nodeA).neighbors = [
      { ip: '10.244.1.3', dev: 'cni0', state: ['INCOMPLETE'] },
      { ip: '10.244.1.77', dev: 'cni0', state: ['FAILED'] },
    ];
    // The pod's end of the pair is down: its ARP request dies there.
    linkIn(snap, BRIDGED.a3, 'eth0').adminUp = false;
    const findings = neighborFailed.run(new SnapshotIndex(snap));
    expect(findings.map((f) => [f.severity, f.evidence.ip])).toEqual([
      ['critical', '10.244.1.3'],
      ['info', '10.244.1.77'],
    ]);
  });

  it('is only a note for a failed entry the address answers ARP for now: the kernel asks again', () => {
    const snap = bridgedOk();
    nsIn(snap, BRIDGED.nodeA).neighbors = [{ ip: '10.244.1.3', dev: 'cni0', state: ['FAILED'] }];
    const [f, ...rest] = neighborFailed.run(new SnapshotIndex(snap));
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'info', evidence: { answeredBy: linkIn(snap, BRIDGED.a3, 'eth0').mac } });
    expect(f!.message).toContain('answers ARP for it now');
  });

  it('is silent on the fault-free lab', () => {
    expect(neighborFailed.run(new SnapshotIndex(bridgedOk()))).toEqual([]);
  });

  it('is only a note for a pod address failed on a device the namespace no longer reaches it by', () => {
    const snap = bridgedOk();
    // node-a reaches 10.244.1.3 by cni0; an old entry on ens3 is a trace of the past.
    nsIn(snap, BRIDGED.nodeA).neighbors = [{ ip: '10.244.1.3', dev: 'ens3', state: ['FAILED'] }];
    const [f] = neighborFailed.run(new SnapshotIndex(snap));
    expect(f).toMatchObject({ severity: 'info' });
    expect(f!.message).toContain('no route or pod uses that address there');
  });
});
