import { describe, expect, it } from 'vitest';
import { dropClaims, expectUnknownStop } from '../testing/unknownStop.ts';
import { arriveAtNode, twoLinkRouter, type TwoLinkRouter } from '../testing/twoLinkRouter.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { trace } from './trace.ts';

/** The pod's ping to the gateway's 10.250.0.1 (see twoLinkRouter), after `change`. */
function ping(change: (t: TwoLinkRouter) => void) {
  const t = twoLinkRouter();
  change(t);
  return trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, '10.250.0.1');
}

/** A packet from the pod arriving at the node's vp, after `change`: the walk's verdict and hops. */
function atNode(src: string, dst: string, change: (t: TwoLinkRouter) => void) {
  const t = twoLinkRouter();
  change(t);
  return arriveAtNode(t, src, dst);
}

/**
 * Stages that stop unknown where a value was not collected, each built to stop there on the
 * twoLinkRouter: the verdict is unknown, the stop names what was not evaluated, and no text says
 * the packet is dropped. Stages with builders of their own hold the same in their tests
 * (validateSource, bridgeVlan, bond, filters, nat, ovs, unknownLookup, conntrackNearFull).
 */
describe('an unknown stop says what could not be evaluated, and never that the packet is dropped', () => {
  it.each([
    {
      stage: 'martian: route_localnet of the receiving device',
      run: () =>
        atNode('10.244.1.2', '127.0.0.1', (t) => {
          delete t.node.ns.sysctls;
        }),
      names: ['route_localnet of vp was not collected', 'route_localnet off: it would be dropped (IP_LOCALNET)'],
    },
    {
      stage: 'ipv6Receive: disable_ipv6 of a device that holds no IPv6 address',
      run: () =>
        atNode('fd00:a::2', 'fd00:c::2', (t) => {
          delete t.node.ns.sysctls;
        }),
      names: [
        'disable_ipv6 of vp was not collected',
        'disable_ipv6=1: every IPv6 packet arriving there would be dropped',
      ],
    },
    {
      stage: 'ipForward: whether the node forwards',
      run: () =>
        ping((t) => {
          delete t.node.ns.sysctls;
          delete (t.node.ns as { ipForward?: boolean }).ipForward;
        }),
      names: ['whether this namespace forwards (ip_forward) was not collected', 'off: it would be dropped'],
    },
    {
      stage: "neighbor: an ARP answer that depends on the gateway's arp_ignore",
      run: () =>
        ping((t) => {
          // On-link to the gateway's lo address: whether it answers on ens3 is arp_ignore's to say.
          const r = t.node.ns.routes.find((x) => x.dst === '10.250.0.1')!;
          delete r.gateway;
          delete t.gw.ns.sysctls;
        }),
      names: [
        'no neighbor entry for 10.250.0.1, and whether ARP gets an answer cannot be told',
        'depends on arp_ignore, which was not collected',
        'with none, the packet would be dropped (NEIGH_FAILED)',
      ],
    },
    {
      stage: 'route: a device the route names that was not collected',
      run: () =>
        ping((t) => {
          t.node.ns.routes.find((x) => x.dst === '10.250.0.1')!.dev = 'ens9';
        }),
      names: ['route 10.250.0.1', 'names device ens9, which was not collected'],
    },
    {
      stage: 'veth: a peer that was not resolved (its namespace not found)',
      run: () =>
        ping((t) => {
          const eth0 = t.b.dev(t.pod, 'eth0');
          delete eth0.peer;
          eth0.peerIfindex = 7;
        }),
      names: ['the veth peer of eth0 is not in this snapshot', 'ifindex 7', 'where the frame goes cannot be told'],
    },
    {
      stage: 'veth: a peer in a namespace that was not collected',
      run: () =>
        ping((t) => {
          t.b.dev(t.pod, 'eth0').peer = { host: 'node', netns: 'gone', ifindex: 9 };
        }),
      names: ['the veth peer of eth0 is not in this snapshot', 'its namespace node/gone was not collected'],
    },
    {
      stage: 'veth: a peer named in a collected namespace that has no such interface',
      run: () =>
        ping((t) => {
          t.b.dev(t.pod, 'eth0').peer = { host: 'node', netns: 'node', ifindex: 99 };
        }),
      names: [
        'the veth peer of eth0 is not in this snapshot',
        'node/node was collected without an interface of ifindex 99',
      ],
    },
    {
      stage: "receive: a port of Open vSwitch's kernel datapath, the switch not collected",
      run: () =>
        ping((t) => {
          const dp = t.b.link(t.node, 'ovs-system', 'openvswitch');
          t.b.dev(t.node, 'vp').masterIfindex = dp.ifindex;
        }),
      names: [
        'vp is a port of the Open vSwitch datapath ovs-system',
        'what the switch does with the frame cannot be told',
      ],
    },
  ])('$stage', ({ run, names }) => {
    expectUnknownStop(run(), names);
  });
});

describe('dropClaims', () => {
  it('finds a drop said as a fact, and lets one said as a condition or quoted from a rule pass', () => {
    expect(dropClaims('a loopback destination arriving at vp is dropped unless route_localnet is on')).toHaveLength(1);
    expect(dropClaims('rp_filter=1 (strict: all=?, ens4=?) drops it')).toHaveLength(1);
    expect(dropClaims('no entry for 10.0.0.1 and ARP gets no answer; the bridge drops the frame')).toHaveLength(1);
    expect(
      dropClaims('rp_filter=0 (off): it would pass; rp_filter=1 (strict): it would be dropped (IP_RPFILTER)'),
    ).toEqual([]);
    expect(dropClaims('whether the frame would pass, be redirected or be dropped here cannot be told')).toEqual([]);
    expect(dropClaims('rule 3 `-A FORWARD -j DROP` `ip saddr 10.0.0.0/8 drop`: the match is not evaluated')).toEqual(
      [],
    );
  });
});
