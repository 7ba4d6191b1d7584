import { describe, expect, it } from 'vitest';
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
