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
function directlyAttached(
  index: SnapshotIndex,
  through: ReadonlySet<LinkEntry>,
  out: LinkEntry,
  ip: string,
  mac: string,
): boolean {
  const outPeer = out.link.kind === 'veth' && out.link.peer ? index.link(out.link.peer) : undefined;
  for (const owner of index.withMac(mac)) {
    if (through.has(owner) || !holds(owner, ip)) continue;
    // The gateway: a bridge with `out`'s veth peer as its port.
    if (owner.link.kind === 'bridge') {
      if (outPeer?.netns === owner.netns && outPeer.link.masterIfindex === owner.link.ifindex) return true;
      continue;
    }
    const peer = owner.link.kind === 'veth' && owner.link.peer ? index.link(owner.link.peer) : undefined;
    if (!peer) continue;
    // A pod: `out` is its veth peer, or the bridge its veth peer is a port of.
    if (peer === out) return true;
    if (out.link.kind === 'bridge' && peer.netns === out.netns && peer.link.masterIfindex === out.link.ifindex)
      return true;
  }
  return false;
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
      for (const n of ns.ns.neighbors) {
        if (!n.mac || n.state.some((s) => s === 'FAILED' || s === 'INCOMPLETE' || s === 'NOARP')) continue;
        const out = index.linkByName(ns.ref, n.dev);
        if (!out || out.link.kind === 'loopback' || directlyAttached(index, through, out, n.ip, n.mac)) continue;
        const end = new Walk(index, 'request', true).transmit(out, {
          srcMac: out.link.mac,
          dstMac: n.mac,
          packet: icmpEcho({ src: undefined, dst: n.ip, type: 'echo-request' }),
        });
        const reached = end.receiver;
        if (end.verdict === 'delivered' || (reached && sameMac(reached.link.mac, n.mac))) continue;
        let rx = reached;
        let answer = reached?.link.mac ?? undefined;
        // Only an interface that holds the address itself is where the frame was meant to end.
        if (!rx || !holds(rx, n.ip)) {
          // The frame found nobody (flooded by a bridge, say): compare with what ARP would answer now.
          const arp = new Walk(index, 'request', true).transmit(out, {
            srcMac: out.link.mac,
            dstMac: BROADCAST_MAC,
            packet: { kind: 'arp', src: undefined, dst: n.ip },
          });
          if (arp.verdict !== 'delivered' || !arp.mac || sameMac(arp.mac, n.mac) || !arp.receiver) continue;
          rx = arp.receiver;
          answer = arp.mac;
        }
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
