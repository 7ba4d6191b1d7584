import { parseIp } from '../../net/ip.ts';
import { usableAddress } from '../../net/usableAddress.ts';
import type { LinkEntry } from '../../topology/snapshotIndex.ts';
import type { Outcome } from '../outcome.ts';
import { neighborAdvertisement, type Frame, type IpPacket } from '../packet.ts';
import type { Walk } from '../walk.ts';
import { nfHook, stopped } from './netfilter.ts';

/**
 * Neighbour discovery received (`ndisc_rcv`), past the PREROUTING hook. A solicitation is answered
 * only by the device that holds the target address (`ipv6_get_ifaddr(…, dev, strict)`): past its
 * INPUT hook, it sends an advertisement back through OUTPUT and POSTROUTING to the solicitor, at
 * the MAC its own neighbour entry holds when that is permanent, else the one the solicitation
 * carried (the entry for the solicitor it makes from that option is kept on the walk). An
 * advertisement for one of the namespace's addresses, past INPUT, ends the walk
 * delivered with the advertised MAC.
 */
export function ndReceive(w: Walk, le: LinkEntry, pkt: IpPacket, frame: Frame | undefined): Outcome {
  const ns = le.netns;
  const l4 = pkt.l4;
  if (l4.proto !== 'nd') return w.end('dropped');
  if (l4.type === 'advert') {
    if (!w.index.isLocal(ns, pkt.dst)) return w.end('dropped');
    const input = nfHook(w, ns, 'ipv6', 'input', pkt, { iif: le, frame });
    if (stopped(input)) return input;
    return w.delivered(ns, pkt.src, l4.lladdr ?? frame?.srcMac ?? undefined);
  }
  const target = parseIp(l4.target)?.value;
  // A tentative or DAD-failed target is not answered (ndisc_recv_ns: only DAD itself looks at it).
  const owns = le.netns.ns.addresses.some(
    (a) =>
      a.ifindex === le.link.ifindex && a.family === 'inet6' && parseIp(a.address)?.value === target && usableAddress(a),
  );
  if (!owns || pkt.src === undefined || !le.link.mac) return w.end('dropped');
  const input = nfHook(w, ns, 'ipv6', 'input', pkt, { iif: le, frame });
  if (stopped(input)) return input;
  // ndisc_recv_ns makes (or updates, to STALE) the solicitor's entry from the lladdr option.
  if (l4.lladdr) w.learn({ at: le, ip: pkt.src, mac: l4.lladdr, asked: l4.target, protocol: 'neighbour discovery' });
  const entry = w.index.neighbor(ns, le.link.name, pkt.src);
  const pinned = entry?.mac !== undefined && entry.state.some((s) => s === 'PERMANENT' || s === 'NOARP');
  const dstMac = pinned ? entry.mac : (l4.lladdr ?? frame?.srcMac ?? undefined);
  if (!dstMac) return w.end('dropped');
  const answer = neighborAdvertisement({ src: l4.target, dst: pkt.src, lladdr: le.link.mac });
  const out = nfHook(w, ns, 'ipv6', 'output', answer, { oif: le });
  if (stopped(out)) return out;
  const post = nfHook(w, ns, 'ipv6', 'postrouting', out, { oif: le });
  if (stopped(post)) return post;
  return w.transmit(le, { srcMac: le.link.mac, dstMac, packet: post });
}
