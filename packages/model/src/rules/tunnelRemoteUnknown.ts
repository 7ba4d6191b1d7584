import { recreateVxlanCommand } from '../fix/recreateVxlan.ts';
import { parseIp, parsePrefix, prefixContains } from '../net/ip.ts';
import type { Finding } from '../schema/finding.ts';
import type { LinkEntry, NetnsEntry, SnapshotIndex } from '../topology/snapshotIndex.ts';
import { tunnelPeer } from '../topology/tunnelPeer.ts';
import { pairKey } from '../topology/pairKey.ts';
import { unseenHosts, unseenList, unseenWords } from '../topology/unseenParts.ts';
import { carriesTraffic, where } from './linkFacts.ts';
import type { Rule } from './rule.ts';

/**
 * A tunnel's remote must be a host that has its other end: an address nobody owns (a deleted pod
 * VM), a host with no device for the VNI, or a partner bound to another local address all lose
 * every frame. Where a host could not be read whole (its agent failed, a namespace could not be
 * entered), what is missing may hold the owner or the other end: then it is a warning that says the
 * answer is unknown, never a verdict that the tunnel is broken.
 */
export const tunnelRemoteUnknown: Rule = {
  id: 'tunnel-remote-unknown',
  run(index) {
    const findings: Finding[] = [];
    const seen = new Set<string>();
    for (const le of index.vxlans) {
      const vx = le.link.vxlan;
      if (!vx?.remote) continue;
      const m = tunnelPeer(index, le);
      if (m.status === 'remote-unknown') {
        // A host that could not be read whole may own the remote: then nobody is known not to.
        const unseen = [...unseenHosts(index).values()];
        const known = unseen.length === 0 ? knownSubnet(index, le) : undefined;
        findings.push({
          rule: this.id,
          severity: known ? 'critical' : 'warning',
          subjects: [le.id],
          message:
            unseen.length > 0
              ? `${where(le)} sends VNI ${vx.vni} to ${vx.remote}, which no collected host owns, but ${unseenList(unseen)} could not be read whole and may own it: whether the tunnel leads anywhere is unknown, not passed`
              : known
                ? `${where(le)} sends VNI ${vx.vni} to ${vx.remote}, which no host owns although its subnet ${known} is collected: the pod VM it named is gone or has another address`
                : `${where(le)} sends VNI ${vx.vni} to ${vx.remote}, which no collected host owns: collect that host, or the tunnel leads nowhere`,
          evidence: {
            interface: where(le),
            remote: vx.remote,
            vni: String(vx.vni),
            ...(unseen.length > 0
              ? {
                  notReadWhole: unseen
                    .map((u) => u.host)
                    .slice(0, 20)
                    .join(', '),
                }
              : {}),
          },
        });
      } else if (m.status === 'partner-unseen' && carriesTraffic(index, le)) {
        const unseen = unseenHosts(index).get(m.remoteOwner.ref.host)!;
        findings.push({
          rule: this.id,
          severity: 'warning',
          subjects: [le.id],
          message: `${where(le)} sends VNI ${vx.vni} on UDP ${vx.port} to ${vx.remote}, and no VXLAN device with this VNI and port was found there among what was collected of ${unseenWords(unseen)}: whether the other end is there is unknown, not passed`,
          evidence: {
            interface: where(le),
            remote: vx.remote,
            vni: String(vx.vni),
            port: String(vx.port),
            notReadWhole: unseen.host,
          },
        });
      } else if (m.status === 'no-partner' && carriesTraffic(index, le)) {
        findings.push({
          rule: this.id,
          severity: 'fatal',
          subjects: [le.id],
          message: `${where(le)} sends VNI ${vx.vni} on UDP ${vx.port} to ${vx.remote}, but that host has no VXLAN device with this VNI and port: every frame is dropped there`,
          evidence: { interface: where(le), remote: vx.remote, vni: String(vx.vni), port: String(vx.port) },
        });
      } else if (m.status === 'ok') {
        const local = m.partner.link.vxlan?.local;
        if (local === undefined || local === vx.remote || seen.has(pairKey(le, m.partner))) continue;
        seen.add(pairKey(le, m.partner));
        const fix = recreateVxlanCommand(index, le, { remote: local });
        findings.push({
          rule: this.id,
          severity: 'fatal',
          subjects: [le.id, m.partner.id],
          message: `${where(le)} sends to ${vx.remote}, but its other end ${where(m.partner)} is bound to local ${local}: its socket never sees the packets`,
          evidence: { interface: where(le), remote: vx.remote, partner: where(m.partner), partnerLocal: local },
          ...(fix ? { fix } : {}),
        });
      }
    }
    return findings;
  },
};

/**
 * The connected subnet the remote lies in, when another collected host has an address in it: then
 * the snapshot covers that subnet, and an owner of the remote would have been collected.
 */
function knownSubnet(index: SnapshotIndex, le: LinkEntry): string | undefined {
  const vx = le.link.vxlan;
  const socket: NetnsEntry | undefined = vx?.socketNetns ? index.netns(vx.socketNetns) : undefined;
  const remote = vx?.remote === undefined ? undefined : parseIp(vx.remote);
  if (!socket || !remote) return undefined;
  const match = index.routes(socket).lookup(vx!.remote!);
  if (match?.kind !== 'route' || match.route.gateway !== undefined || match.route.type !== 'unicast') return undefined;
  const prefix = parsePrefix(match.route.dst, remote.family);
  if (!prefix || prefix.length === 0) return undefined;
  for (const ns of index.namespaces) {
    if (ns.ref.host === socket.ref.host) continue;
    for (const a of ns.ns.addresses) {
      const ip = parseIp(a.address);
      if (ip && prefixContains(prefix, ip)) return match.route.dst;
    }
  }
  return undefined;
}
