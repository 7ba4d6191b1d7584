import { setMtuCommand } from '../fix/commands.ts';
import type { Finding } from '../schema/finding.ts';
import { VXLAN_OVERHEAD } from '../trace/packet.ts';
import { where } from './linkFacts.ts';
import type { Rule } from './rule.ts';
import type { LinkEntry, SnapshotIndex } from '../topology/snapshotIndex.ts';
import { vethPairs } from '../topology/vethPairs.ts';

/**
 * MTUs along a path must fit: a veth takes no frame larger than its own MTU from its peer, so two
 * ends that differ drop large packets one way; a VXLAN device whose MTU plus the 50 bytes of
 * encapsulation exceeds its underlay's has its packets fragmented (or dropped where DF is set).
 */
export const mtuMismatch: Rule = {
  id: 'mtu-mismatch',
  run(index) {
    const findings: Finding[] = [];
    for (const { a: le, b: peer } of vethPairs(index).mtuDiffers) {
      const [big, small] = le.link.mtu > peer.link.mtu ? [le, peer] : [peer, le];
      findings.push({
        rule: this.id,
        severity: 'critical',
        subjects: [big.id, small.id],
        message: `veth ends differ: ${where(big)} has MTU ${big.link.mtu} but its peer ${where(small)} has ${small.link.mtu}: packets over ${small.link.mtu} bytes from ${big.link.name} are dropped on arrival`,
        evidence: {
          larger: where(big),
          largerMtu: String(big.link.mtu),
          smaller: where(small),
          smallerMtu: String(small.link.mtu),
        },
        fix: oddOneOut(index, big, small),
      });
    }
    for (const le of index.vxlans) {
      const underlay = le.link.vxlan?.underlay && index.link(le.link.vxlan.underlay);
      if (!underlay || le.link.mtu + VXLAN_OVERHEAD <= underlay.link.mtu) continue;
      const fits = underlay.link.mtu - VXLAN_OVERHEAD;
      const bridge = bridgeOf(le);
      findings.push({
        rule: this.id,
        severity: 'warning',
        subjects: [le.id, underlay.id],
        message: `${where(le)} has MTU ${le.link.mtu}, but with ${VXLAN_OVERHEAD} bytes of VXLAN its packets need ${le.link.mtu + VXLAN_OVERHEAD} on ${where(underlay)} (MTU ${underlay.link.mtu}): large packets are fragmented, or dropped where DF is set${bridge ? ` (answered with ICMP fragmentation needed). It is a port of ${bridge.link.name}: lowering it alone makes the bridge drop them silently; every port and the pods behind them (the CNI's mtu) need ${fits}, or the underlay ${le.link.mtu + VXLAN_OVERHEAD}` : ''}`,
        evidence: {
          interface: where(le),
          mtu: String(le.link.mtu),
          underlay: where(underlay),
          underlayMtu: String(underlay.link.mtu),
        },
        ...(bridge ? {} : { fix: setMtuCommand(le.netns.ns, le.link.name, fits) }),
      });
    }
    return findings;
  },
};

/** The bridge a device is a port of. */
function bridgeOf(le: LinkEntry): LinkEntry | undefined {
  const master = le.link.masterIfindex === undefined ? undefined : le.netns.linksByIndex.get(le.link.masterIfindex);
  return master?.link.kind === 'bridge' ? master : undefined;
}

/**
 * Which end of a veth pair to change: the one whose MTU differs from the other ports of its bridge,
 * which all agree with the far end (a port set apart from the rest of its segment); otherwise the
 * larger is lowered, which never stops a packet that got through before.
 */
function oddOneOut(index: SnapshotIndex, big: LinkEntry, small: LinkEntry): string {
  for (const [end, other] of [
    [small, big],
    [big, small],
  ] as const) {
    const master =
      end.link.masterIfindex === undefined ? undefined : end.netns.linksByIndex.get(end.link.masterIfindex);
    if (master?.link.kind !== 'bridge') continue;
    const siblings = index.portsOf(master).filter((p) => p !== end);
    if (siblings.length > 0 && siblings.every((p) => p.link.mtu === other.link.mtu))
      return setMtuCommand(end.netns.ns, end.link.name, other.link.mtu);
  }
  return setMtuCommand(big.netns.ns, big.link.name, small.link.mtu);
}
