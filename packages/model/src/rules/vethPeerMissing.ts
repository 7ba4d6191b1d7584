import { ipIn, linkUpCommand } from '../fix/commands.ts';
import type { Finding } from '../schema/finding.ts';
import type { LinkEntry } from '../topology/snapshotIndex.ts';
import { tcRedirects } from '../topology/tcRedirects.ts';
import { hasGlobalAddress, pairKey, where } from './describe.ts';
import type { Rule } from './rule.ts';

/**
 * A veth is half of a wire: its peer must be collected and up, and the host side of a pod's veth
 * must be plugged in — a port of the namespace's bridge, or routed to with an address or a route —
 * or the pod is cut off.
 */
export const vethPeerMissing: Rule = {
  id: 'veth-peer-missing',
  run(index) {
    const findings: Finding[] = [];
    const seen = new Set<string>();
    const redirected = new Set(tcRedirects(index).flatMap((r) => (r.to ? [r.from, r.to] : [r.from])));
    for (const le of index.links) {
      if (le.link.kind !== 'veth') continue;
      const peer = le.link.peer ? index.link(le.link.peer) : undefined;
      if (!peer) {
        findings.push({
          rule: this.id,
          severity: 'info',
          subjects: [le.id],
          message: `the peer of ${where(le)} (ifindex ${le.link.peerIfindex ?? '?'}) lives in a namespace that was not collected: the path beyond it cannot be traced`,
          evidence: { interface: where(le), peerIfindex: String(le.link.peerIfindex ?? '') },
        });
        continue;
      }
      if (le.link.adminUp && !peer.link.adminUp && !seen.has(pairKey(le, peer))) {
        seen.add(pairKey(le, peer));
        findings.push({
          rule: this.id,
          severity: 'critical',
          subjects: [le.id, peer.id],
          message: `${where(le)} is up but its veth peer ${where(peer)} is down: nothing crosses the pair`,
          evidence: { interface: where(le), peer: where(peer), peerState: 'down' },
          fix: linkUpCommand(peer.netns.ns.name, peer.link.name),
        });
      }
      const bridge = detachedFrom(le, peer, redirected);
      if (bridge) {
        findings.push({
          rule: this.id,
          severity: 'critical',
          subjects: [le.id, peer.id, bridge.id],
          message: `${where(le)}, the host side of ${where(peer)}, is not a port of ${bridge.link.name} and nothing routes to it: the pod behind it is cut off`,
          evidence: { interface: where(le), peer: where(peer), bridge: where(bridge) },
          fix: ipIn(le.netns.ns.name, ['link', 'set', 'dev', le.link.name, 'master', bridge.link.name]),
        });
      }
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
  const bridges = [...le.netns.linksByIndex.values()].filter((l) => l.link.kind === 'bridge');
  if (bridges.length !== 1) return undefined;
  if (hasGlobalAddress(le) || !hasGlobalAddress(peer)) return undefined;
  if (le.netns.ns.routes.some((r) => r.dev === le.link.name && r.family !== 'inet6')) return undefined;
  return bridges[0];
}
