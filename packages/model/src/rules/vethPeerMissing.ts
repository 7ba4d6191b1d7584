import { ipIn, linkUpCommand } from '../fix/commands.ts';
import type { Finding } from '../schema/finding.ts';
import type { LinkEntry } from '../topology/snapshotIndex.ts';
import { hasGlobalAddress, redirectEnds, where } from './linkFacts.ts';
import type { Rule } from './rule.ts';
import { vethPairs } from '../topology/vethPairs.ts';
import { ovsTopology } from '../topology/ovsPorts.ts';

/**
 * A veth is half of a wire: its peer must be collected and up, and the host side of a pod's veth
 * must be plugged in — a port of the namespace's bridge, or routed to with an address or a route —
 * or the pod is cut off.
 */
export const vethPeerMissing: Rule = {
  id: 'veth-peer-missing',
  run(index) {
    const findings: Finding[] = [];
    const redirected = redirectEnds(index);
    const ovsPorts = ovsTopology(index).byLink;
    const { pairs, orphans, halfDown } = vethPairs(index);
    for (const le of orphans) {
      findings.push({
        rule: this.id,
        severity: 'info',
        subjects: [le.id],
        message: `the peer of ${where(le)} (ifindex ${le.link.peerIfindex ?? '?'}) lives in a namespace that was not collected: the path beyond it cannot be traced`,
        evidence: { interface: where(le), peerIfindex: String(le.link.peerIfindex ?? '') },
      });
    }
    for (const { a: up, b: down } of halfDown) {
      findings.push({
        rule: this.id,
        severity: 'critical',
        subjects: [up.id, down.id],
        message: `${where(up)} is up but its veth peer ${where(down)} is down: nothing crosses the pair`,
        evidence: { interface: where(up), peer: where(down), peerState: 'down' },
        fix: linkUpCommand(down.netns.ns, down.link.name),
      });
    }
    for (const { a, b } of pairs) {
      // The host side of a pod is the end without an address of its own.
      const [le, peer] = hasGlobalAddress(a) ? [b, a] : [a, b];
      // A port of an Open vSwitch bridge is plugged in (ovs-port-missing looks after the rest).
      if (ovsPorts.has(le)) continue;
      const bridge = detachedFrom(le, peer, redirected);
      if (!bridge) continue;
      findings.push({
        rule: this.id,
        severity: 'critical',
        subjects: [le.id, peer.id, bridge.id],
        message: `${where(le)}, the host side of ${where(peer)}, is not a port of ${bridge.link.name} and nothing routes to it: the pod behind it is cut off`,
        evidence: { interface: where(le), peer: where(peer), bridge: where(bridge) },
        fix: ipIn(le.netns.ns, ['link', 'set', 'dev', le.link.name, 'master', bridge.link.name]),
      });
    }
    return findings;
  },
};

/**
 * The namespace's bridge, when `le` leads to a pod (its peer holds an address in another namespace)
 * but is neither a port of a bridge nor addressed, routed to, or redirected.
 */
function detachedFrom(le: LinkEntry, peer: LinkEntry, redirected: ReadonlySet<LinkEntry>): LinkEntry | undefined {
  if (le.link.masterIfindex !== undefined || redirected.has(le) || peer.netns === le.netns) return undefined;
  if (hasGlobalAddress(le) || !hasGlobalAddress(peer)) return undefined;
  const bridges = [...le.netns.linksByIndex.values()].filter((l) => l.link.kind === 'bridge');
  if (bridges.length !== 1) return undefined;
  if (le.netns.ns.routes.some((r) => r.dev === le.link.name && r.family !== 'inet6')) return undefined;
  return bridges[0];
}
