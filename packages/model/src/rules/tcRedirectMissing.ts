import { tcRedirectCommand } from '../fix/commands.ts';
import type { Finding } from '../schema/finding.ts';
import type { LinkEntry, SnapshotIndex } from '../topology/snapshotIndex.ts';
import { tcRedirects } from '../topology/tcRedirects.ts';
import { hasGlobalAddress, where } from './linkFacts.ts';
import type { Rule } from './rule.ts';
import { sameNetns } from '../ids.ts';

/**
 * A peer pod's worker namespace does no routing: tc must move frames from eth0 into the tunnel and
 * from the tunnel back to eth0. A redirect to a device that is missing or down, one direction
 * without the other, or a tunnel with no redirect at all each cut the pod off.
 */
export const tcRedirectMissing: Rule = {
  id: 'tc-redirect-missing',
  run(index) {
    const findings: Finding[] = [];
    const redirects = tcRedirects(index).filter((r) => r.hook === 'ingress');
    const targetOf = new Map(redirects.map((r) => [r.from, r.to]));
    const involved = new Set(redirects.flatMap((r) => (r.to ? [r.from, r.to] : [r.from])));
    for (const r of redirects) {
      const ns = r.from.netns.ns;
      if (!r.to) {
        findings.push({
          rule: this.id,
          severity: 'fatal',
          subjects: [r.from.id],
          message: `the ingress filter on ${where(r.from)} redirects to ${r.targetDev}, which does not exist: every frame is dropped`,
          evidence: { interface: where(r.from), target: r.targetDev },
        });
        continue;
      }
      if (r.to.link.kind === 'ifb') continue;
      if (!r.to.link.adminUp) {
        findings.push({
          rule: this.id,
          severity: 'fatal',
          subjects: [r.from.id, r.to.id],
          message: `the ingress filter on ${where(r.from)} redirects to ${where(r.to)}, which is down: every frame is dropped`,
          evidence: { interface: where(r.from), target: where(r.to) },
        });
      }
      if (targetOf.get(r.to) !== r.from) {
        findings.push({
          rule: this.id,
          severity: 'fatal',
          subjects: [r.from.id, r.to.id],
          message: `frames arriving at ${where(r.from)} are redirected to ${r.to.link.name}, but nothing redirects frames arriving at ${r.to.link.name} back to ${r.from.link.name}: replies never reach the pod`,
          evidence: {
            interface: where(r.from),
            target: where(r.to),
            missing: `${r.to.link.name} → ${r.from.link.name}`,
          },
          fix: tcRedirectCommand(ns, r.to.link.name, r.from.link.name),
        });
      }
    }
    for (const [pod, tunnel] of unjoinedPeerPods(index, involved)) {
      const ns = pod.netns.ns;
      findings.push({
        rule: this.id,
        severity: 'fatal',
        subjects: [pod.id, tunnel.id],
        message: `${where(pod)} and the tunnel ${tunnel.link.name} beside it are not joined by tc redirects: the pod's frames never enter the tunnel`,
        evidence: { interface: where(pod), tunnel: where(tunnel) },
        fix: [
          tcRedirectCommand(ns, pod.link.name, tunnel.link.name),
          tcRedirectCommand(ns, tunnel.link.name, pod.link.name),
        ].join('\n'),
      });
    }
    return findings;
  },
};

/**
 * A peer pod's worker namespace without any redirect: a veth holding the pod's address beside a
 * VXLAN device whose socket lives elsewhere (it was created in the host and moved in).
 */
function unjoinedPeerPods(index: SnapshotIndex, involved: ReadonlySet<LinkEntry>): [LinkEntry, LinkEntry][] {
  const out: [LinkEntry, LinkEntry][] = [];
  for (const tunnel of index.vxlans) {
    const socket = tunnel.link.vxlan?.socketNetns;
    const ns = tunnel.netns;
    if (involved.has(tunnel) || ns.ns.root || !socket || sameNetns(socket, ns.ref)) continue;
    if (hasGlobalAddress(tunnel)) continue;
    for (const le of ns.linksByIndex.values()) {
      if (le.link.kind === 'veth' && !involved.has(le) && hasGlobalAddress(le)) out.push([le, tunnel]);
    }
  }
  return out;
}
