import { netnsPath } from '../ids.ts';
import { ipIn } from '../fix/commands.ts';
import { parseIp, parsePrefix, prefixContains } from '../net/ip.ts';
import type { Address } from '../schema/inventory.ts';
import type { Finding } from '../schema/finding.ts';
import { isMacvlan, macvlanMode, lowerDevices, upperDevices } from '../topology/upperDevices.ts';
import type { LinkEntry, SnapshotIndex } from '../topology/snapshotIndex.ts';
import { where } from './linkFacts.ts';
import type { Rule } from './rule.ts';

/** The name the fix gives the macvlan it adds beside the children. */
export const SHIM = 'mvshim0';

/**
 * A macvlan's lower device used to reach its children: the kernel hands what the lower device
 * sends to the wire and what the macvlans send to the wire or to each other, never one to the
 * other. Raised where a child's gateway is the lower device's namespace (and no bridge-mode macvlan
 * of it there holds the gateway), or where that namespace routes a child's address out of the lower
 * device. The fix is the usual shim: a bridge-mode macvlan in the parent's namespace holding its
 * address, with the children's subnet routed through it.
 */
export const macvlanParentIsolation: Rule = {
  id: 'macvlan-parent-isolation',
  run(index) {
    const findings: Finding[] = [];
    for (const lower of lowerDevices(index)) {
      const uppers = upperDevices(index, lower).filter(isMacvlan);
      if (uppers.length === 0) continue;
      const ns = lower.netns;
      const shims = uppers.filter((u) => u.netns === ns && macvlanMode(u) === 'bridge');
      const stuck = uppers.filter(
        (c) => c.netns !== ns && (gatewayBehind(index, c, shims) || routedOut(index, lower, c)),
      );
      if (stuck.length === 0) continue;
      const own = addressFor(index, lower, stuck);
      const fix =
        own && stuck.every((c) => macvlanMode(c) === 'bridge')
          ? [
              ipIn(ns.ns, ['link', 'add', SHIM, 'link', lower.link.name, 'type', 'macvlan', 'mode', 'bridge']),
              ipIn(ns.ns, ['addr', 'add', `${own.address}/32`, 'dev', SHIM]),
              ipIn(ns.ns, ['link', 'set', SHIM, 'up']),
              ipIn(ns.ns, ['route', 'replace', network(own), 'dev', SHIM, 'src', own.address]),
            ].join('\n')
          : undefined;
      findings.push({
        rule: this.id,
        severity: 'critical',
        subjects: [lower.id, ...stuck.map((c) => c.id)],
        message: `${netnsPath(ns.ref)} reaches the macvlans stacked on ${lower.link.name} (${stuck.map(where).join(', ')}) through ${lower.link.name} itself, or they use it as their gateway: a macvlan's lower device never receives its children's frames, nor they its own`,
        evidence: { lower: where(lower), children: String(stuck.length) },
        ...(fix ? { fix } : {}),
      });
    }
    return findings;
  },
};

/** A child's gateway is held by the lower device's namespace, and no bridge-mode shim there holds it. */
function gatewayBehind(index: SnapshotIndex, child: LinkEntry, shims: readonly LinkEntry[]): boolean {
  const lower = child.link.parent && index.link(child.link.parent);
  if (!lower) return false;
  return child.netns.ns.routes.some((r) => {
    if (!r.gateway || r.dev !== child.link.name || !index.isLocal(lower.netns, r.gateway)) return false;
    const viaShim = macvlanMode(child) === 'bridge' && shims.some((s) => index.addressesOf(s).includes(r.gateway!));
    return !viaShim;
  });
}

/** The lower device's namespace routes the child's address out of the lower device. */
function routedOut(index: SnapshotIndex, lower: LinkEntry, child: LinkEntry): boolean {
  return index.addressesOf(child).some((ip) => {
    if (!parseIp(ip) || ip.startsWith('fe80')) return false;
    const m = index.routes(lower.netns).lookup(ip);
    // An unknown lookup (a VRF) is not "routed out": the rule then says nothing of it.
    return m?.kind === 'route' && m.route.dev === lower.link.name;
  });
}

/** The lower device's own address in the children's subnet, which the shim takes on. */
function addressFor(index: SnapshotIndex, lower: LinkEntry, children: readonly LinkEntry[]): Address | undefined {
  const childIps = children.flatMap((c) => index.addressesOf(c)).map(parseIp);
  return lower.netns.ns.addresses.find((a) => {
    if (a.ifindex !== lower.link.ifindex || a.family !== 'inet') return false;
    const p = parsePrefix(network(a), 4);
    return !!p && childIps.some((ip) => ip !== undefined && prefixContains(p, ip));
  });
}

function network(a: Address): string {
  const ip = parseIp(a.address)!;
  const shift = BigInt(32 - a.prefixlen);
  const v = (ip.value >> shift) << shift;
  return `${[24, 16, 8, 0].map((b) => Number((v >> BigInt(b)) & 255n)).join('.')}/${a.prefixlen}`;
}
