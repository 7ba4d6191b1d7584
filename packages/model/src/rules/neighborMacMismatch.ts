import { deleteNeighborCommand, replaceNeighborCommand, setMacCommand } from '../fix/commands.ts';
import { linkPath, netnsPath } from '../ids.ts';
import { sameMac } from '../net/ip.ts';
import type { Finding } from '../schema/finding.ts';
import { BROADCAST_MAC, icmpEcho } from '../trace/packet.ts';
import { Walk } from '../trace/walk.ts';
import { passThrough } from '../topology/passThrough.ts';
import type { LinkEntry, SnapshotIndex } from '../topology/snapshotIndex.ts';
import type { Rule } from './rule.ts';

/**
 * Is the entry's MAC that of an interface holding the IP right behind `out` (its veth peer, or
 * behind a port of its bridge) that takes frames for itself? Then the frame reaches it, or ARP
 * would answer the same MAC: no walk can find a mismatch. Most entries of a cluster are like this.
 */
export function directlyAttached(
  index: SnapshotIndex,
  through: ReadonlySet<LinkEntry>,
  out: LinkEntry,
  ip: string,
  mac: string,
): boolean {
  const outPeer = out.link.kind === 'veth' && out.link.peer ? index.link(out.link.peer) : undefined;
  // A pod's entry for its gateway names the one owner to try first: the bridge its veth peer is a
  // port of. Asked of ~10⁵ pods, this spares the lookup by MAC among 10⁶ interfaces.
  const master =
    outPeer?.link.masterIfindex === undefined ? undefined : outPeer.netns.linksByIndex.get(outPeer.link.masterIfindex);
  if (master?.link.kind === 'bridge' && hasMac(master, mac) && !through.has(master) && holds(master, ip)) return true;
  for (const owner of index.withMac(mac)) {
    if (through.has(owner)) continue;
    // The gateway: a bridge with `out`'s veth peer as its port.
    if (owner.link.kind === 'bridge') {
      if (outPeer?.netns === owner.netns && outPeer.link.masterIfindex === owner.link.ifindex && holds(owner, ip))
        return true;
      continue;
    }
    const peer = owner.link.kind === 'veth' && owner.link.peer ? index.link(owner.link.peer) : undefined;
    if (!peer || !holds(owner, ip)) continue;
    // A pod: `out` is its veth peer, or the bridge its veth peer is a port of.
    if (peer === out) return true;
    if (out.link.kind === 'bridge' && peer.netns === out.netns && peer.link.masterIfindex === out.link.ifindex)
      return true;
  }
  return false;
}

/** Is `le` one of `index.withMac(mac)`: an interface other than a loopback with that MAC, in any case? */
const hasMac = (le: LinkEntry, mac: string): boolean =>
  !!le.link.mac && le.link.kind !== 'loopback' && le.link.mac.toLowerCase() === mac.toLowerCase();

/**
 * Where a frame sent out of `out` to `mac` for `ip` really ends, when that is an interface without
 * `mac` holding `ip` (or, where the frame finds nobody, the one ARP would answer for `ip` instead),
 * by silent walks of the frame and of the ARP request; undefined when nothing is wrong.
 */
export function wrongReceiver(
  index: SnapshotIndex,
  out: LinkEntry,
  ip: string,
  mac: string,
): { rx: LinkEntry; answer: string | undefined } | undefined {
  const end = new Walk(index, 'request', true).transmit(out, {
    srcMac: out.link.mac,
    dstMac: mac,
    packet: icmpEcho({ src: undefined, dst: ip, type: 'echo-request' }),
  });
  const reached = end.receiver;
  if (end.verdict === 'delivered' || (reached && sameMac(reached.link.mac, mac))) return undefined;
  // Only an interface that holds the address itself is where the frame was meant to end.
  if (reached && holds(reached, ip)) return { rx: reached, answer: reached.link.mac ?? undefined };
  // The frame found nobody (flooded by a bridge, say): compare with what ARP would answer now.
  const arp = new Walk(index, 'request', true).transmit(out, {
    srcMac: out.link.mac,
    dstMac: BROADCAST_MAC,
    packet: { kind: 'arp', src: undefined, dst: ip },
  });
  if (arp.verdict !== 'delivered' || !arp.mac || sameMac(arp.mac, mac) || !arp.receiver) return undefined;
  return { rx: arp.receiver, answer: arp.mac };
}

/**
 * A non-permanent entry the kernel no longer holds as confirmed (STALE, DELAY, PROBE): it is used
 * once more, then re-probed by unicast, which a receiver with another MAC never answers, then FAILED
 * and solicited afresh by multicast. Checked on this kernel: about 8 s of loss, then the right MAC.
 */
const healsOnUse = (state: readonly string[]): boolean =>
  !state.includes('PERMANENT') && state.some((s) => s === 'STALE' || s === 'DELAY' || s === 'PROBE');

function holds(le: LinkEntry, ip: string): boolean {
  // A loop, not `some` with a closure: asked for every owner of every neighbor entry (~10⁶ at 5,000 nodes).
  const ifindex = le.link.ifindex;
  for (const a of le.netns.ns.addresses) if (a.address === ip && a.ifindex === ifindex) return true;
  return false;
}

/**
 * A neighbor (ARP/ND) entry must name the MAC of the interface that will actually receive the frame,
 * after veth, tc redirects and tunnels; otherwise the receiver drops every frame sent with it.
 */
export const neighborMacMismatch: Rule = {
  id: 'neighbor-mac-mismatch',
  run(index) {
    const findings: Finding[] = [];
    const through = passThrough(index);
    for (const ns of index.namespaces) {
      if (ns.ns.neighbors.length === 0) continue;
      // What `index.linkByName(ns.ref, …)` reads, looked up once for all of the namespace's entries.
      const links = index.netns(ns.ref)?.linksByName;
      for (const n of ns.ns.neighbors) {
        if (!n.mac || n.state.some((s) => s === 'FAILED' || s === 'INCOMPLETE' || s === 'NOARP')) continue;
        const out = links?.get(n.dev);
        if (!out || out.link.kind === 'loopback' || directlyAttached(index, through, out, n.ip, n.mac)) continue;
        const wrong = wrongReceiver(index, out, n.ip, n.mac);
        if (!wrong) continue;
        const { rx, answer } = wrong;
        const rxWhere = linkPath(rx.ref, rx.link.name);
        const heals = healsOnUse(n.state);
        findings.push({
          rule: this.id,
          severity: n.state.includes('PERMANENT') ? 'critical' : heals ? 'info' : 'warning',
          subjects: [out.id, rx.id],
          message:
            `${netnsPath(ns.ref)} resolves ${n.ip} to ${n.mac} on ${n.dev}, ` +
            `but ${n.ip} is ${rxWhere}, whose MAC is ${answer ?? 'none'}: frames sent with ${n.mac} are dropped` +
            (heals
              ? `; the entry is ${n.state.join(',')}, so the kernel checks it at its next use and, unanswered, ` +
                'resolves the address afresh: packets are lost for about 8 s (5 s delay, 3 unicast probes), then it heals'
              : ''),
          evidence: {
            ip: n.ip,
            neighborMac: n.mac,
            state: n.state.join(','),
            receiver: rxWhere,
            receiverMac: answer ?? 'none',
          },
          // A stale entry is the holder's old news (the receiver changed its MAC): never undo the
          // receiver's change to match it; forgetting the entry is the smallest safe change.
          fix: heals
            ? deleteNeighborCommand(ns.ns, n.ip, n.dev)
            : rx.link.kind === 'vxlan'
              ? setMacCommand(rx.netns.ns, rx.link.name, n.mac)
              : replaceNeighborCommand(ns.ns, n.ip, answer ?? '', n.dev),
        });
      }
    }
    return findings;
  },
};
