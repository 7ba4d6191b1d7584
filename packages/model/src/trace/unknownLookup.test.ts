import { describe, expect, it } from 'vitest';
import { expectUnknownStop } from '../testing/unknownStop.ts';
import { twoLinkRouter } from '../testing/twoLinkRouter.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { trace } from './trace.ts';

const last = (r: ReturnType<typeof trace>) => r.hops.at(-1);

/** twoLinkRouter with `dev` of the namespace `at` enslaved to a VRF `blue` (table 10, not collected). */
function inVrf(at: 'node' | 'gw', dev: string) {
  const t = twoLinkRouter();
  const ns = t[at];
  const vrf = t.b.link(ns, 'blue', 'vrf');
  t.b.dev(ns, dev).masterIfindex = vrf.ifindex;
  return t;
}

describe('a routing lookup hoplens cannot evaluate', () => {
  it("answers unknown, naming the VRF, for a packet forwarded from a VRF's port, instead of routing it by main", () => {
    const t = inVrf('node', 'vp');
    const result = trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, '10.250.0.1');
    const stop = expectUnknownStop(result, ['vp is enslaved to VRF blue']);
    expect(stop).toMatchObject({ netns: 'node', component: 'routing', verdict: 'unknown' });
  });

  it("answers unknown where the source check's route back is a VRF's (here the ARP request's), instead of passing or dropping it", () => {
    const t = inVrf('gw', 'ens3');
    t.b.conf(t.gw, 'all', { ipv4: { rpFilter: 1 } });
    t.b.neighbor(t.node, 'ens3', '192.168.50.2', t.b.dev(t.gw, 'ens3').mac!);
    const result = trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, '10.250.0.1');
    expect(result.verdict).toBe('unknown');
    expect(last(result)).toMatchObject({ netns: 'gw', interface: 'ens3', component: 'routing' });
    expect(last(result)?.reason).toContain(
      "the reverse-path filter's route back to 10.244.1.2 is unknown: ens3 is enslaved to VRF blue",
    );
    // Without a neighbour entry, the gateway's answer to ARP is as unknown.
    const arp = inVrf('gw', 'ens3');
    arp.b.conf(arp.gw, 'all', { ipv4: { rpFilter: 1 } });
    const asked = trace(new SnapshotIndex(arp.b.snapshot()), arp.pod.ref, '10.250.0.1');
    expectUnknownStop(asked, ['whether ARP gets an answer cannot be told', 'VRF blue']);
  });

  it('still routes by main where no device of the path is in a VRF', () => {
    const t = inVrf('node', 'ens4');
    expect(trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, '10.250.0.1').verdict).toBe('delivered');
  });
});
