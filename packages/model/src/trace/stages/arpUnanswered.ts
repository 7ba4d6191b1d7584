import { firewallOf } from '../../netfilter/firewallOf.ts';
import type { LinkEntry, NetnsEntry, SnapshotIndex } from '../../topology/snapshotIndex.ts';
import { upperDevices } from '../../topology/upperDevices.ts';
import type { ArpRequest, Frame } from '../packet.ts';
import type { Walk } from '../walk.ts';
import { mayBeUnreadOvsPort, ovsPortOf } from './ovs.ts';

/**
 * Whether the copy of a flooded ARP request that a bridge sends out of `port` certainly goes
 * unanswered, without walking it: the port is a veth with no filters on the way out (tc, netdev
 * egress), its peer a plain device (no filters, no master, switch — or one it may be a port of —
 * or stacked devices) in a
 * namespace without any firewall, that neither holds the asked-for address nor routes it out of
 * another device (where proxy ARP might answer). There `arp_process` drops the request, and that
 * is all the walk would find. A bridge with hundreds of pods floods hundreds of such copies for an
 * address nobody answers for (a peer pod's, whose tc redirects the request into its tunnel).
 */
export function arpUnanswered(w: Walk, port: LinkEntry, frame: Frame): boolean {
  const req = frame.packet;
  if (req.kind !== 'arp' || frame.vlan !== undefined) return false;
  const peer = w.index.derive(plainPeers).get(port);
  if (!peer) return false;
  return cannotAnswer(w.index, peer, req);
}

function cannotAnswer(index: SnapshotIndex, peer: LinkEntry, req: ArpRequest): boolean {
  const ns = peer.netns;
  if (index.isLocal(ns, req.dst)) return false;
  // As arp_process decides whether proxy ARP could answer (see arpReply): a unicast route out of another device.
  const m = index.routes(ns).lookup(req.dst, { src: req.src, iif: peer.link.name });
  // Unknown: the ARP stage itself walks it and says so.
  if (m?.kind === 'unknown') return false;
  const out =
    m?.kind === 'route' && m.route.type === 'unicast' && m.route.dev !== undefined
      ? ns.linksByName.get(m.route.dev)
      : undefined;
  return !out || out === peer;
}

/** Per bridge port of the snapshot: its veth peer, where both ends are plain (see arpUnanswered). */
function plainPeers(index: SnapshotIndex): Map<LinkEntry, LinkEntry> {
  const out = new Map<LinkEntry, LinkEntry>();
  for (const port of index.veths) {
    if (port.link.masterIfindex === undefined) continue;
    const peer = port.link.peer && index.link(port.link.peer);
    if (!peer || peer.ref.host !== port.ref.host || !peer.link.adminUp) continue;
    if (index.tcFiltersOf(port, 'egress').length > 0 || !noNetdevChains(index, port.netns, port, 'egress')) continue;
    if (index.tcFiltersOf(peer, 'ingress').length > 0 || peer.link.masterIfindex !== undefined) continue;
    if (ovsPortOf(index, peer) || mayBeUnreadOvsPort(peer)) continue;
    if (upperDevices(index, peer).length > 0 || !noFirewall(index, peer.netns)) continue;
    out.set(port, peer);
  }
  return out;
}

const noFirewall = (index: SnapshotIndex, ns: NetnsEntry): boolean => {
  const fw = firewallOf(index, ns);
  // Not collected: what its rules do is not known, so the walk (which says so) decides.
  return fw !== undefined && fw.empty && fw.gaps.length === 0;
};

const noNetdevChains = (index: SnapshotIndex, ns: NetnsEntry, le: LinkEntry, hook: 'egress'): boolean => {
  const fw = firewallOf(index, ns);
  return (
    fw !== undefined &&
    !fw.gaps.some((g) => g.family === 'all') &&
    fw.chainsAt('netdev', hook, le.link.name).length === 0
  );
};
