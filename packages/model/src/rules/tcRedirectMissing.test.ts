import { describe, expect, it } from 'vitest';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { linkId, linkIn, nsIn, SEED, seedFixed } from '../testing/seedFixtures.ts';
import { tcRedirectMissing } from './tcRedirectMissing.ts';

const run = (snap: ReturnType<typeof seedFixed>) => tcRedirectMissing.run(new SnapshotIndex(snap));

describe('tc-redirect-missing', () => {
  it('flags a one-way redirect and prints the filter that brings replies back', () => {
    const snap = seedFixed();
    const pod = nsIn(snap, SEED.pod);
    pod.tcFilters = pod.tcFilters.filter((f) => f.dev !== 'vxlan1');
    const [f, ...rest] = run(snap);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ severity: 'fatal' });
    expect(f!.subjects).toEqual([linkId(snap, SEED.pod, 'eth0'), linkId(snap, SEED.pod, 'vxlan1')]);
    expect(f!.fix).toBe(
      [
        'ip netns exec hl-seed-pod tc qdisc replace dev vxlan1 ingress',
        'ip netns exec hl-seed-pod tc filter add dev vxlan1 ingress protocol all prio 1 u32 match u32 0 0 action mirred egress redirect dev eth0',
      ].join('\n'),
    );
  });

  it('flags a redirect to a device that does not exist or is down', () => {
    const snap = seedFixed();
    // The redirect itself, not the u32 hash table ahead of it (which has no action).
    const filter = nsIn(snap, SEED.pod).tcFilters.find((f) => f.dev === 'eth0' && f.actions.length > 0)!;
    const action = filter.actions[0]!;
    if ('targetDev' in action) action.targetDev = 'vxlan7';
    expect(run(snap).map((f) => f.message)).toContain(
      'the ingress filter on worker/hl-seed-pod/eth0 redirects to vxlan7, which does not exist: every frame is dropped',
    );
    const down = seedFixed();
    linkIn(down, SEED.pod, 'vxlan1').adminUp = false;
    expect(run(down).some((f) => f.message.includes('which is down'))).toBe(true);
  });

  it('flags a peer pod namespace whose eth0 and tunnel have no redirect at all', () => {
    const snap = seedFixed();
    nsIn(snap, SEED.pod).tcFilters = [];
    const [f] = run(snap);
    expect(f!.message).toContain('are not joined by tc redirects');
    expect(f!.fix!.split('\n')).toHaveLength(4);
  });

  it('flags a redirect that takes only ARP into the tunnel, and replaces it by one for every frame', () => {
    const snap = seedFixed();
    const pod = nsIn(snap, SEED.pod);
    const eth0 = pod.links.find((l) => l.name === 'eth0')!;
    pod.tcFilters = pod.tcFilters.map((f) => (f.ifindex === eth0.ifindex ? { ...f, protocol: 0x0806 } : f));
    const [f, ...rest] = run(snap);
    expect(rest).toEqual([]);
    expect(f!.subjects).toEqual([linkId(snap, SEED.pod, 'eth0'), linkId(snap, SEED.pod, 'vxlan1')]);
    expect(f!.message).toContain('redirects only arp frames');
    const pref = pod.tcFilters.find((x) => x.ifindex === eth0.ifindex)!.pref;
    expect(f!.fix!.split('\n')).toEqual([
      `ip netns exec hl-seed-pod tc filter del dev eth0 ingress protocol arp pref ${pref}`,
      'ip netns exec hl-seed-pod tc qdisc replace dev eth0 ingress',
      'ip netns exec hl-seed-pod tc filter add dev eth0 ingress protocol all prio 1 u32 match u32 0 0 action mirred egress redirect dev vxlan1',
    ]);
    // IP also sent into an ifb (ingress shaping) beside the redirect for every frame, and a node's
    // ens3 sending only IP into an ifb, are nobody's fault.
    const ifb = seedFixed();
    const ifbPod = nsIn(ifb, SEED.pod);
    const shaper = ifbPod.tcFilters.find((x) => x.ifindex === eth0.ifindex && x.actions.length > 0)!;
    ifbPod.links.push({ ...ifbPod.links.find((l) => l.name === 'vxlan1')!, name: 'ifb0', kind: 'ifb', ifindex: 99 });
    ifbPod.tcFilters = [
      ...ifbPod.tcFilters.filter((x) => x !== shaper),
      { ...shaper, pref: 1, protocol: 3 },
      {
        ...shaper,
        pref: 2,
        protocol: 0x0800,
        actions: shaper.actions.map((a) => (a.kind === 'mirred' ? { ...a, targetDev: 'ifb0' } : a)),
      },
    ];
    const worker = nsIn(ifb, SEED.worker);
    const ens3 = worker.links.find((l) => l.name === 'ens3')!;
    worker.links.push({ ...ens3, name: 'ifb1', kind: 'ifb', ifindex: 98 });
    worker.tcFilters.push({
      ...shaper,
      ifindex: ens3.ifindex,
      dev: 'ens3',
      pref: 1,
      protocol: 0x0800,
      actions: shaper.actions.map((a) => (a.kind === 'mirred' ? { ...a, targetDev: 'ifb1' } : a)),
    });
    expect(run(ifb)).toEqual([]);
    // A filter for every frame beside it (another preference) leaves nothing to say.
    pod.tcFilters.push({
      ...pod.tcFilters.find((x) => x.ifindex === eth0.ifindex && x.actions.length > 0)!,
      pref: 2,
      protocol: 3,
    });
    expect(run(snap)).toEqual([]);
  });

  it('is silent on the fault-free seed', () => {
    expect(run(seedFixed())).toEqual([]);
  });
});
