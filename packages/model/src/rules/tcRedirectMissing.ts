import { commandIn, tcRedirectCommand } from '../fix/commands.ts';
import type { Finding } from '../schema/finding.ts';
import type { LinkEntry, SnapshotIndex } from '../topology/snapshotIndex.ts';
import { takesEveryFrame, tcRedirects, type TcRedirect } from '../topology/tcRedirects.ts';
import { hasGlobalAddress, where } from './linkFacts.ts';
import type { Rule } from './rule.ts';
import { netnsPath, sameNetns } from '../ids.ts';
import { ethertypeName } from '../tc/ethertypes.ts';

/**
 * A peer pod's worker namespace does no routing: tc must move frames from eth0 into the tunnel and
 * from the tunnel back to eth0. A redirect to a device that is missing or down, one direction
 * without the other, one that takes only some ethertypes (`protocol arp`: the rest stays behind),
 * or a tunnel with no redirect at all each cut the pod off.
 */
export const tcRedirectMissing: Rule = {
  id: 'tc-redirect-missing',
  run(index) {
    const findings: Finding[] = [];
    const ingress = tcRedirects(index).filter((r) => r.hook === 'ingress');
    const redirects = ingress.filter(takesEveryFrame);
    const whole = new Set(redirects.map((r) => r.from));
    const targetOf = new Map(redirects.map((r) => [r.from, r.to]));
    // Only where a redirect joins a device and a tunnel (or answers one back): a filter that sends
    // only IP into an ifb for shaping, or anywhere else, is someone's choice, not a cut pod.
    const joins = (r: TcRedirect): boolean =>
      !!r.to &&
      r.to.link.kind !== 'ifb' &&
      (r.to.link.kind === 'vxlan' || r.from.link.kind === 'vxlan' || targetOf.get(r.to) === r.from);
    const partial = ingress.filter((r) => !takesEveryFrame(r) && !whole.has(r.from) && joins(r));
    const partialFrom = new Set(partial.map((r) => r.from));
    const involved = new Set(ingress.flatMap((r) => (r.to ? [r.from, r.to] : [r.from])));
    const partialByFrom = new Map<LinkEntry, TcRedirect[]>();
    for (const r of partial) partialByFrom.set(r.from, [...(partialByFrom.get(r.from) ?? []), r]);
    for (const rs of partialByFrom.values()) findings.push(partialRedirect(this.id, rs));
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
      // A redirect back that takes only some frames is reported as that, with its own fix.
      if (targetOf.get(r.to) !== r.from && !partialFrom.has(r.to)) {
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
 * Redirects that take only some ethertypes' frames: the others go up the namespace's own stack,
 * which holds the pod's address but does not route into the tunnel. The fix replaces those filters
 * by one for every frame (filters of one preference share one protocol, so they go first).
 */
function partialRedirect(rule: string, rs: readonly TcRedirect[]): Finding {
  const r = rs[0]!;
  const to = r.to!;
  const ns = r.from.netns.ns;
  // Partial redirects carry a protocol (a missing one takes every frame).
  const protos = rs.map((x) => ethertypeName(x.protocol!));
  const list = [...new Set(protos)].join(', ');
  const dev = r.from.link.name;
  return {
    rule,
    severity: 'fatal',
    subjects: [r.from.id, to.id],
    message: `the ingress filter on ${where(r.from)} redirects only ${list} frames (tc protocol) to ${to.link.name}: every other frame arriving there stays in ${netnsPath(r.from.netns.ref)} instead of entering ${to.link.name}`,
    evidence: { interface: where(r.from), target: where(to), protocol: list, pref: rs.map((x) => x.pref).join(', ') },
    fix: [
      ...rs.map((x, i) =>
        commandIn(ns, ['tc', 'filter', 'del', 'dev', dev, 'ingress', 'protocol', protos[i]!, 'pref', String(x.pref)]),
      ),
      tcRedirectCommand(ns, dev, to.link.name),
    ].join('\n'),
  };
}

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
