import { describe, expect, it } from 'vitest';
import type { PeerPodIntent } from '../schema/inventory.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { linkId, linkIn, nsIn, SEED, seedBroken, seedFixed } from '../testing/seedFixtures.ts';
import { peerPodIntentMismatch } from './peerPodIntentMismatch.ts';

/** What cloud-api-adaptor would have written on the seed's pod VM. */
const INTENT: PeerPodIntent = {
  source: '/run/peerpod/apf.json',
  podNamespace: 'default',
  podName: 'nginx',
  interface: 'vxlan0',
  podIp: '10.132.2.46/24',
  podMac: SEED.podMac,
  workerNodeIp: '192.168.200.1/24',
  tunnelType: 'vxlan',
  vxlanPort: 4789,
  vxlanId: 555000,
  mtu: 1500,
  routes: [{ dst: '0.0.0.0/0', gateway: '10.132.2.1', dev: 'vxlan0' }],
};

function withIntent(snap: ReturnType<typeof seedFixed>, intent: Partial<PeerPodIntent> = {}) {
  snap.hosts.find((h) => h.name === 'podvm')!.peerPod = { ...INTENT, ...intent };
  return snap;
}

const run = (snap: ReturnType<typeof seedFixed>) => peerPodIntentMismatch.run(new SnapshotIndex(snap));

describe('peerpod-intent-mismatch', () => {
  it('names the MAC cloud-api-adaptor intended beside the one the pod VM interface has (the seed fault)', () => {
    const snap = withIntent(seedBroken());
    const [f, ...rest] = run(snap);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'fatal', subjects: [linkId(snap, SEED.podns, 'vxlan0')] });
    expect(f!.message).toBe(
      `podvm/hl-seed-podns/vxlan0 has MAC ${SEED.vmMac}, but /run/peerpod/apf.json intends ${SEED.podMac} for pod default/nginx`,
    );
    expect(f!.evidence).toMatchObject({ intended: SEED.podMac, observed: SEED.vmMac });
    expect(f!.fix).toContain(`ip link set dev vxlan0 address ${SEED.podMac}`);
  });

  it('compares VNI, port, remote, address, MTU (capped at 1450) and routes', () => {
    const snap = withIntent(seedFixed(), {
      vxlanId: 555001,
      vxlanPort: 4790,
      workerNodeIp: '192.168.200.5/24',
      podIp: '10.132.2.47/24',
      mtu: 1400,
      routes: [{ dst: '10.96.0.0/12', gateway: '10.132.2.1' }],
    });
    const byField = new Map(run(snap).map((f) => [f.evidence.field ?? '', f]));
    const field = (name: string) => byField.get(name)!;
    expect([...byField.keys()].sort()).toEqual(['MTU', 'UDP port', 'VNI', 'addresses', 'remote', 'route']);
    expect(field('VNI').evidence).toMatchObject({ intended: '555001', observed: '555000' });
    expect(field('VNI').fix).toContain('type vxlan id 555001 remote 192.168.200.5 dstport 4790');
    expect(field('MTU').evidence).toMatchObject({ intended: '1400', observed: '1450', field: 'MTU' });
    expect(field('route').message).toContain('has no route 10.96.0.0/12 via 10.132.2.1');
    expect(field('route').fix).toBe('ip netns exec hl-seed-podns ip route add 10.96.0.0/12 via 10.132.2.1 dev vxlan0');
  });

  it('is fatal when the intended interface is nowhere on the pod VM', () => {
    const snap = withIntent(seedFixed(), { interface: 'eth7' });
    const [f] = run(snap);
    expect(f).toMatchObject({ severity: 'fatal', subjects: ['host:podvm'] });
  });

  it('only warns, saying it is unknown, where the namespace that would hold it could not be read', () => {
    const snap = withIntent(seedFixed());
    const vm = snap.hosts.find((h) => h.name === 'podvm')!;
    vm.namespaces = vm.namespaces.filter((ns) => ns.name !== SEED.podns.netns);
    vm.errors.push({ netns: SEED.podns.netns, message: 'open namespace: No such file or directory' });
    const [f, ...rest] = run(snap);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'warning', subjects: ['host:podvm'] });
    expect(f!.message).toContain(`podvm (collected without namespace ${SEED.podns.netns})`);
    expect(f!.message).toContain('unknown, not passed');
  });

  it('is silent when the pod VM has the network it was meant to have, or no intent was collected', () => {
    expect(run(withIntent(seedFixed()))).toEqual([]);
    expect(run(seedFixed())).toEqual([]);
    // A route the kernel prints without /32 still matches.
    const snap = withIntent(seedFixed(), { routes: [{ dst: '10.132.2.1/32', dev: 'vxlan0' }] });
    nsIn(snap, SEED.podns).routes.push({
      family: 'inet',
      table: 'main',
      type: 'unicast',
      dst: '10.132.2.1',
      dev: 'vxlan0',
    });
    expect(run(snap)).toEqual([]);
    expect(linkIn(snap, SEED.podns, 'vxlan0').mtu).toBe(1450);
  });
});
