import { describe, expect, it } from 'vitest';
import type { HostInventory, NetnsInventory } from '../schema/inventory.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { linkId, linkIn, nsIn, SEED, seedFixed } from '../testing/seedFixtures.ts';
import { tunnelRemoteUnknown } from './tunnelRemoteUnknown.ts';

const run = (snap: ReturnType<typeof seedFixed>) => tunnelRemoteUnknown.run(new SnapshotIndex(snap));

describe('tunnel-remote-unknown', () => {
  it('is critical for a remote nobody owns in an underlay subnet the snapshot covers', () => {
    const snap = seedFixed();
    linkIn(snap, SEED.pod, 'vxlan1').vxlan!.remote = '192.168.200.9';
    const [f, ...rest] = run(snap);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'critical', subjects: [linkId(snap, SEED.pod, 'vxlan1')] });
    expect(f!.message).toContain('192.168.200.9');
    expect(f!.message).toContain('192.168.200.0/24');
  });

  it('only warns when the remote’s subnet was not collected at all (the pod VM was left out)', () => {
    const snap = seedFixed();
    snap.hosts = snap.hosts.filter((h) => h.name === 'worker');
    const [f] = run(snap);
    expect(f).toMatchObject({ severity: 'warning' });
    expect(f!.message).toContain('collect that host');
  });

  it('is fatal when the remote host has no device for the VNI and the tunnel carries a pod', () => {
    const snap = seedFixed();
    const podns = nsIn(snap, SEED.podns);
    podns.links = podns.links.filter((l) => l.name !== 'vxlan0');
    const [f] = run(snap);
    expect(f).toMatchObject({ severity: 'fatal' });
    expect(f!.message).toMatch(/no VXLAN device with this VNI and port/);
  });

  it('only warns, saying it is unknown, while a host that could not be read whole may own the remote', () => {
    const snap = seedFixed();
    linkIn(snap, SEED.pod, 'vxlan1').vxlan!.remote = '192.168.200.9';
    // Read whole, under a name given on a rename: a bare namespace of its own and only a notice.
    const vmRoot = nsIn(snap, SEED.vm);
    const bare: NetnsInventory = { ...vmRoot, links: [], addresses: [], routes: [], neighbors: [] };
    const lost: HostInventory = { name: 'podvm-2', kind: 'pod-vm', collectedAt: '', namespaces: [bare], errors: [] };
    snap.hosts.push(lost);
    lost.errors.push({ message: 'renamed from podvm', notice: true });
    expect(run(snap)).toMatchObject([{ severity: 'critical' }]);
    // A failure inside a namespace that was read leaves out no address either.
    lost.errors = [{ netns: bare.name, command: ['iptables-save'], message: 'timed out' }];
    expect(run(snap)).toMatchObject([{ severity: 'critical' }]);
    lost.namespaces = [];
    lost.errors = [{ message: 'agent http://192.168.200.9:7081: connect ECONNREFUSED' }];
    const [f, ...rest] = run(snap);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'warning', evidence: { notReadWhole: 'podvm-2' } });
    expect(f!.message).toContain('podvm-2 (nothing collected) could not be read whole and may own it');
    expect(f!.message).toContain('unknown, not passed');
  });

  it('only warns where the remote’s host lacks a namespace that failed: the other end may be there', () => {
    const snap = seedFixed();
    const vm = snap.hosts.find((h) => h.name === SEED.podns.host)!;
    vm.namespaces = vm.namespaces.filter((ns) => ns.name !== SEED.podns.netns);
    expect(run(snap)).toMatchObject([{ severity: 'fatal' }]);
    vm.errors.push({ netns: SEED.podns.netns, message: 'open namespace: Permission denied' });
    const [f, ...rest] = run(snap);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'warning', evidence: { notReadWhole: 'podvm' } });
    expect(f!.message).toContain(`podvm (collected without namespace ${SEED.podns.netns})`);
  });

  it('is fatal when the other end is bound to a local address the remote does not name', () => {
    const snap = seedFixed();
    linkIn(snap, SEED.podns, 'vxlan0').vxlan!.local = '192.168.200.7';
    const [f] = run(snap);
    expect(f).toMatchObject({ severity: 'fatal' });
    expect(f!.message).toContain('bound to local 192.168.200.7');
    expect(f!.fix).toContain('remote 192.168.200.7');
  });

  it('is silent on the fault-free seed', () => {
    expect(run(seedFixed())).toEqual([]);
  });
});
