import { bridgeVlanAddCommand } from '../fix/commands.ts';
import { parseIp } from '../net/ip.ts';
import type { Finding } from '../schema/finding.ts';
import type { LinkEntry, SnapshotIndex } from '../topology/snapshotIndex.ts';
import { groupText } from '../trace/stages/bridgeVlan.ts';
import { where } from './linkFacts.ts';
import type { Rule } from './rule.ts';

/**
 * Ports of one VLAN-filtering bridge whose endpoints share a subnet but whose PVIDs differ (or one
 * has none): untagged frames from each join a different VLAN, or none, and the bridge never passes
 * them between VLANs — so ARP between them goes unanswered. Raised for each port whose PVID is not
 * the one most of its subnet's ports use; the fix gives it that PVID. Costs nothing where no bridge
 * filters VLANs.
 */
export const bridgeVlanMismatch: Rule = {
  id: 'bridge-vlan-mismatch',
  run(index) {
    const findings: Finding[] = [];
    // Every interface in one flat list: a namespace's lookup by ifindex, iterated, would build a map
    // for each of ~10⁵ small namespaces that the lookups themselves never need.
    for (const bridge of index.links) {
      const data = bridge.link.kindData;
      if (data?.kind !== 'bridge' || !data.vlanFiltering) continue;
      // The one the namespace's lookup holds, should a broken inventory repeat an ifindex.
      if (bridge.netns.linksByIndex.get(bridge.link.ifindex) !== bridge) continue;
      for (const members of bySubnet(index, bridge).values()) findings.push(...mismatches(this.id, bridge, members));
    }
    return findings;
  },
};

/** A port (or the bridge's own port, for its own address) and the PVID untagged frames from it join. */
interface Member {
  readonly port: LinkEntry;
  readonly pvid: number | undefined;
}

const pvidOf = (port: LinkEntry): number | undefined => port.link.bridgeVlans?.find((v) => v.pvid)?.vid;

/** The bridge's ports (and itself) by the subnets their endpoints' addresses are in: a veth peer's, or the bridge's own. */
function bySubnet(index: SnapshotIndex, bridge: LinkEntry): Map<string, Member[]> {
  const out = new Map<string, Member[]>();
  const add = (port: LinkEntry, endpoint: LinkEntry): void => {
    if (port.link.bridgeVlans === undefined) return;
    for (const a of endpoint.netns.ns.addresses) {
      if (a.ifindex !== endpoint.link.ifindex || a.scope === 'link' || a.scope === 'host') continue;
      const ip = parseIp(a.address);
      if (!ip) continue;
      const shift = BigInt((ip.family === 4 ? 32 : 128) - a.prefixlen);
      const key = `${ip.family}:${(ip.value >> shift).toString(16)}/${a.prefixlen}`;
      const list = out.get(key) ?? [];
      if (!list.some((m) => m.port === port)) list.push({ port, pvid: pvidOf(port) });
      out.set(key, list);
    }
  };
  add(bridge, bridge);
  for (const port of index.portsOf(bridge)) {
    const peer = port.link.peer && index.link(port.link.peer);
    if (peer) add(port, peer);
  }
  return out;
}

/** A finding for each member whose PVID is not the one most members of its subnet use. */
function mismatches(rule: string, bridge: LinkEntry, members: readonly Member[]): Finding[] {
  if (members.length < 2) return [];
  const count = new Map<number, number>();
  for (const m of members) if (m.pvid !== undefined) count.set(m.pvid, (count.get(m.pvid) ?? 0) + 1);
  const ranked = [...count].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const [common] = ranked[0] ?? [];
  // All agree, or no majority to point at (one port each way): nothing exact to say.
  if (common === undefined || (ranked.length === 1 && count.get(common) === members.length)) return [];
  if (ranked.length > 1 && ranked[1]![1] === ranked[0]![1]) return [];
  const name = (p: LinkEntry): string => (p === bridge ? `${bridge.link.name} self` : p.link.name);
  const agree = members.filter((m) => m.pvid === common).map((m) => name(m.port));
  return members
    .filter((m) => m.pvid !== common)
    .map((m) => ({
      rule,
      severity: 'critical' as const,
      subjects: [m.port.id, bridge.id],
      message: `${name(m.port)} on ${where(bridge)} puts untagged frames in ${m.pvid === undefined ? 'no VLAN (it has no PVID)' : `VLAN ${m.pvid}`}, while ${agree.join(', ')} on the same subnet use VLAN ${common}: the bridge passes no frame between them`,
      evidence: {
        port: name(m.port),
        vlans: groupText(m.port.link.bridgeVlans ?? []),
        peers: agree.join(', '),
        peerPvid: String(common),
      },
      fix: bridgeVlanAddCommand(bridge.netns.ns, m.port.link.name, common, { pvid: true, self: m.port === bridge }),
    }));
}
