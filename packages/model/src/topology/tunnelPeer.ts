import { sameNetns } from '../ids.ts';
import type { LinkEntry, NetnsEntry, SnapshotIndex } from './snapshotIndex.ts';
import { unseenHosts, unseenWords } from './unseenParts.ts';

/** How one VXLAN end relates to the other end of its tunnel. */
export type TunnelMatch =
  | { status: 'ok'; partner: LinkEntry; remoteOwner: NetnsEntry }
  | { status: 'no-remote'; reason: string }
  | { status: 'remote-unknown'; reason: string }
  | { status: 'no-partner'; remoteOwner: NetnsEntry; reason: string }
  /** No exact partner among what was collected of the remote's host, which lacks namespaces that failed. */
  | { status: 'partner-unseen'; remoteOwner: NetnsEntry; reason: string }
  | { status: 'vni-mismatch'; partner: LinkEntry; remoteOwner: NetnsEntry; reason: string }
  | { status: 'port-mismatch'; partner: LinkEntry; remoteOwner: NetnsEntry; reason: string };

/**
 * Finds the other end of a VXLAN tunnel: a VXLAN device whose socket lives in the namespace
 * that owns this end's remote address, with the same VNI and UDP port. When there is none, the
 * likely partner is one that points back at this end's host and has no exact partner of its own:
 * its VNI or port then names the mismatch.
 */
export function tunnelPeer(index: SnapshotIndex, end: LinkEntry): TunnelMatch {
  const cache = index.derive(newCache);
  let match = cache.get(end);
  if (!match) cache.set(end, (match = matchTunnel(index, end)));
  return match;
}

const newCache = (): Map<LinkEntry, TunnelMatch> => new Map();

function matchTunnel(index: SnapshotIndex, end: LinkEntry): TunnelMatch {
  const vx = end.link.vxlan;
  if (!vx?.remote) return { status: 'no-remote', reason: `${end.link.name} has no remote address` };
  const remoteOwner = index.withIp(vx.remote)[0]?.netns;
  if (!remoteOwner) {
    return { status: 'remote-unknown', reason: `no collected host owns remote ${vx.remote}` };
  }
  const candidates = partnersIn(index, end, remoteOwner);
  const exact = candidates.find((c) => sameTunnel(c, end));
  if (exact) return { status: 'ok', partner: exact, remoteOwner };
  // A VXLAN device in a namespace that failed to be read may have its socket in the owner: neither
  // its absence nor a mismatch with another end can be told.
  const unseen = unseenHosts(index).get(remoteOwner.ref.host);
  if (unseen) {
    return {
      status: 'partner-unseen',
      remoteOwner,
      reason: `no VXLAN device with VNI ${vx.vni} on UDP ${vx.port} has its socket where ${vx.remote} lives, among what was collected of ${unseenWords(unseen)}: the other end may be in what is missing`,
    };
  }
  const socket = vx.socketNetns && index.netns(vx.socketNetns);
  const likely = candidates.filter(
    (c) =>
      c.link.vxlan?.remote !== undefined &&
      socket !== undefined &&
      index.isLocal(socket, c.link.vxlan.remote) &&
      !mayHaveExactPartner(index, c),
  );
  const samePort = likely.find((c) => c.link.vxlan?.port === vx.port);
  if (samePort) {
    return {
      status: 'vni-mismatch',
      partner: samePort,
      remoteOwner,
      reason: `VNI ${vx.vni} here, VNI ${samePort.link.vxlan?.vni} on ${samePort.link.name}`,
    };
  }
  const sameVni = likely.find((c) => c.link.vxlan?.vni === vx.vni);
  if (sameVni) {
    return {
      status: 'port-mismatch',
      partner: sameVni,
      remoteOwner,
      reason: `UDP port ${vx.port} here, ${sameVni.link.vxlan?.port} on ${sameVni.link.name}`,
    };
  }
  return {
    status: 'no-partner',
    remoteOwner,
    reason: `no VXLAN device with VNI ${vx.vni} on UDP ${vx.port} has its socket where ${vx.remote} lives`,
  };
}

/** VXLAN devices whose socket lives in `owner` that could be `end`'s other end: not itself, not beside it. */
const partnersIn = (index: SnapshotIndex, end: LinkEntry, owner: NetnsEntry): LinkEntry[] =>
  index.vxlanBySocket(owner.ref).filter((c) => c.id !== end.id && !sameNetns(c.netns.ref, end.netns.ref));

/** Same VNI and UDP port: the two ends of one tunnel. */
const sameTunnel = (a: LinkEntry, b: LinkEntry): boolean =>
  a.link.vxlan?.vni === b.link.vxlan?.vni && a.link.vxlan?.port === b.link.vxlan?.port;

/**
 * Does this VXLAN end have a partner with its own VNI and port where its remote lives, or may it
 * have one there, in what a failed collection left out? Then it is nobody's mismatched other end.
 */
function mayHaveExactPartner(index: SnapshotIndex, end: LinkEntry): boolean {
  const remote = end.link.vxlan?.remote;
  const owner = remote === undefined ? undefined : index.withIp(remote)[0]?.netns;
  if (owner === undefined) return false;
  return unseenHosts(index).has(owner.ref.host) || partnersIn(index, end, owner).some((c) => sameTunnel(c, end));
}
