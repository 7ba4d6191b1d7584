import { parseIp } from '../../net/ip.ts';
import type { LinkEntry } from '../../topology/snapshotIndex.ts';
import { confDev, confMax, confOr, confText } from '../netConf.ts';
import type { Outcome } from '../outcome.ts';
import type { ArpRequest } from '../packet.ts';
import { addressesOn, inSubnet } from '../deviceSubnets.ts';
import type { Walk } from '../walk.ts';
import { nfHook, stopped } from './netfilter.ts';
import { sourceVerdict, valuesText, wouldText } from './validateSource.ts';
import { unknownText } from './route.ts';

/** What kept a namespace from answering an ARP request, and whether that is certain. */
interface Refusal {
  readonly verdict: 'dropped' | 'unknown';
  readonly cause: 'source' | 'arp-ignore' | 'arp-filter' | 'proxy-arp' | 'forwarding' | 'route' | 'noarp';
  readonly reason: string;
  /** arp_ignore's mode, for its fix. */
  readonly mode?: number;
}

/** A namespace that could have answered an ARP request and did not: where, for what, and why. */
export type ArpRefusal = Refusal & {
  readonly at: LinkEntry;
  readonly target: string;
  readonly sender: string | undefined;
};

/**
 * A namespace receives an ARP request at `le` (`arp_process`, net/ipv4/arp.c). The request passes
 * the input routing decision for (target, sender) like an IP packet — so a sender the source check
 * refuses (rp_filter, a local source) gets no answer. For a local target: `arp_ignore` (the larger of
 * `all` and the device) decides whether the address must be on `le` (1), also share a subnet with
 * the sender (2), or not be host-scoped (3), or never answer (8); `arp_filter` answers only where the
 * route back to the sender leaves by `le`. For another target: a forwarding namespace with
 * `proxy_arp`, or a proxy neighbour entry for it (`ip neigh add proxy`), answers for one it routes
 * out of another device. The answer is `le`'s MAC. A refusal
 * is kept on the walk for the neighbour hop and the rules to name.
 */
export function arpReply(w: Walk, le: LinkEntry, req: ArpRequest): Outcome {
  const ns = le.netns;
  const mac = le.link.mac;
  if (!mac) return w.end('dropped');
  const { src: sip, dst: tip } = req;
  const refuse = (r: Refusal): Outcome => {
    w.arpRefusal ??= { ...r, at: le, target: tip, sender: sip };
    return w.end(r.verdict);
  };
  if (w.index.isLocal(ns, tip)) {
    const refusal = checkSource(w, le, sip, tip, undefined) ?? arpIgnore(le, sip, tip) ?? arpFilter(w, le, sip, tip);
    return refusal ? refuse(refusal) : answer(w, le, req, mac);
  }
  const m = parseIp(tip) ? w.index.routes(ns).lookup(tip, { src: sip, iif: le.link.name }) : undefined;
  if (m?.kind === 'unknown') {
    const reason = `may answer for ${tip} by proxy ARP, but its route to it is unknown: ${unknownText(m)}`;
    return refuse({ verdict: 'unknown', cause: 'route', reason });
  }
  const out =
    m?.kind === 'route' && m.route.type === 'unicast' && m.route.dev !== undefined
      ? ns.linksByName.get(m.route.dev)
      : undefined;
  // Nobody here would route it, or it goes back out where it came from: no proxy answers.
  if (!out || out === le) return w.end('dropped');
  const dev = confDev(le, 'forwarding');
  const forwards = dev === undefined ? ns.ns.ipForward : dev !== 0;
  const proxy = confOr(le, 'proxyArp');
  const routed = `${tip}, which it routes out of ${out.link.name}`;
  if (forwards === false) {
    return refuse({
      verdict: 'dropped',
      cause: 'forwarding',
      reason: `does not answer for ${routed}: it does not forward`,
    });
  }
  const entry = proxyEntry(le, tip);
  if (proxy === false && !entry) {
    const off = `proxy_arp is off (${confText(le, 'proxyArp')})`;
    // pneigh_lookup would still answer for an `ip neigh add proxy` entry: not collected, not known.
    if (le.netns.ns.proxyNeighbors === undefined) {
      const why = `${off}, and its proxy neighbour entries (ip neigh show proxy) were not collected: it would answer only if one names ${tip}`;
      return refuse({
        verdict: 'unknown',
        cause: 'proxy-arp',
        reason: `whether it answers for ${routed} cannot be told: ${why}`,
      });
    }
    const why = `${off} and no proxy neighbour entry names it`;
    return refuse({ verdict: 'dropped', cause: 'proxy-arp', reason: `does not answer for ${routed}: ${why}` });
  }
  if (forwards === undefined || (proxy === undefined && !entry)) {
    const why = 'only with proxy_arp on and forwarding, which were not collected';
    return refuse({ verdict: 'unknown', cause: 'proxy-arp', reason: `would answer for ${routed} ${why}` });
  }
  const refusal = checkSource(w, le, sip, tip, out);
  return refusal ? refuse(refusal) : answer(w, le, req, mac);
}

/**
 * A proxy neighbour entry for `tip` on `le`, or on any device (`pneigh_lookup`). Where they were not
 * collected, none is found here: the caller says it cannot tell (see arpReply).
 */
function proxyEntry(le: LinkEntry, tip: string): boolean {
  const v = parseIp(tip);
  return (le.netns.ns.proxyNeighbors ?? []).some(
    (p) => (p.dev === undefined || p.dev === le.link.name) && parseIp(p.ip)?.value === v?.value,
  );
}

/**
 * `le` answers with `mac`. Before it does, `neigh_event_ns` makes (or updates, to STALE) its entry
 * for the sender: the request carried the sender's IP and MAC (no `arp_accept` needed; a PERMANENT
 * or NOARP entry stays as it is, which the entry's reader checks). The answer (`arp_send`) goes
 * through the ARP OUTPUT hook and out of `le` to the MAC the request carried — back through every
 * tc filter, bridge and tunnel on the way, which may take it elsewhere (`askArp` checks it reached
 * the requester). Without the requester's MAC it is taken as answered where it arrived.
 */
function answer(w: Walk, le: LinkEntry, req: ArpRequest, mac: string): Outcome {
  if (req.src === undefined || req.sha === undefined) return w.answeredInPlace(le.netns, req.src, mac);
  w.learn({ at: le, ip: req.src, mac: req.sha, asked: req.dst, protocol: 'ARP' });
  const reply: ArpRequest = { kind: 'arp', op: 'reply', src: req.dst, dst: req.src, sha: mac, tha: req.sha };
  const sent = nfHook(w, le.netns, 'arp', 'output', reply, { oif: le });
  if (stopped(sent)) return sent;
  return w.transmit(le, { srcMac: mac, dstMac: req.sha, packet: sent });
}

/** The source check the request's input routing decision makes (rp_filter, local source). */
function checkSource(
  w: Walk,
  le: LinkEntry,
  sip: string | undefined,
  tip: string,
  out: LinkEntry | undefined,
): Refusal | undefined {
  if (sip === undefined) return undefined;
  const rpf = confMax(le, 'rpFilter');
  const local = confOr(le, 'acceptLocal');
  if (rpf === undefined || local === undefined) {
    const worst = sourceVerdict(w.index, le, sip, tip, out, 1, false);
    // Said as what the strictest values would do, in the source check's words: the walk does not
    // know that they hold.
    const would =
      worst?.dropReason === undefined
        ? (worst?.reason ?? '')
        : `with ${valuesText(1, false, true)}: ${wouldText(worst)}`;
    const reason = `may refuse the request from ${sip}: rp_filter/accept_local not collected (rp_filter ${confText(le, 'rpFilter')}), and ${would}`;
    return worst ? { verdict: 'unknown', cause: 'source', reason } : undefined;
  }
  const v = sourceVerdict(w.index, le, sip, tip, out, rpf, local);
  if (v?.dropReason === undefined)
    return v && { verdict: 'unknown', cause: 'source', reason: `may refuse the request from ${sip}: ${v.reason}` };
  return { verdict: 'dropped', cause: 'source', reason: `refuses the request from ${sip}: ${v.reason}` };
}

/** `arp_ignore`: whether the namespace keeps quiet about a target it holds. */
function arpIgnore(le: LinkEntry, sip: string | undefined, tip: string): Refusal | undefined {
  const mode = confMax(le, 'arpIgnore');
  const onDev = addressesOn(le).find((a) => a.address === tip);
  // inet_confirm_addr: some address of the device (not only the target's own) has both in its subnet.
  const sameSubnet = sip === undefined || addressesOn(le).some((a) => inSubnet(a, tip) && inSubnet(a, sip));
  if (mode === undefined) {
    // arp_ignore 0 to 2 answer for an address on the receiving device in the sender's subnet.
    if (onDev && sameSubnet) return undefined;
    const reason = `holds ${tip}, but whether it answers depends on arp_ignore, which was not collected`;
    return { verdict: 'unknown', cause: 'arp-ignore', reason };
  }
  const quiet = (why: string): Refusal => ({
    verdict: 'dropped',
    cause: 'arp-ignore',
    mode,
    reason: `holds ${tip} but ignores requests for it (arp_ignore=${mode}: ${confText(le, 'arpIgnore')}): ${why}`,
  });
  const notHere = `it is not an address of ${le.link.name}`;
  switch (mode) {
    case 1:
      return onDev ? undefined : quiet(notHere);
    case 2:
      if (!onDev) return quiet(notHere);
      return sameSubnet ? undefined : quiet(`no address of ${le.link.name} has the sender ${sip} in its subnet too`);
    case 3:
      return le.netns.ns.addresses.find((a) => a.address === tip)?.scope === 'host'
        ? quiet('it is host-scoped')
        : undefined;
    case 8:
      return quiet('it answers no requests at all');
    default:
      return undefined;
  }
}

/** `arp_filter`: answer only where the route back to the sender leaves by the receiving device. */
function arpFilter(w: Walk, le: LinkEntry, sip: string | undefined, tip: string): Refusal | undefined {
  if (sip === undefined) return undefined;
  const on = confOr(le, 'arpFilter');
  if (on === false) return undefined;
  const m = w.index.routes(le.netns).lookup(sip, { src: tip });
  if (m?.kind === 'unknown')
    return { verdict: 'unknown', cause: 'arp-filter', reason: `may not answer (arp_filter): ${unknownText(m)}` };
  const dev = m?.kind === 'route' ? m.route.dev : undefined;
  if (dev === le.link.name) return undefined;
  const why = `the route back to ${sip} leaves by ${dev ?? 'no device'}, not ${le.link.name}`;
  if (on === undefined) {
    return {
      verdict: 'unknown',
      cause: 'arp-filter',
      reason: `would not answer with arp_filter on (not collected): ${why}`,
    };
  }
  return {
    verdict: 'dropped',
    cause: 'arp-filter',
    reason: `does not answer (arp_filter on: ${confText(le, 'arpFilter')}): ${why}`,
  };
}

/**
 * The sender address of an ARP request for `target` out of `out` (`arp_solicit`): with
 * `arp_announce` 0 the packet's own source if the namespace holds it; with 1 only if it shares a
 * subnet of `out` with the target; with 2 never. Otherwise the primary address of `out` in the
 * target's subnet, else its first, else the first global address of another device
 * (`inet_select_addr`). An uncollected arp_announce is taken as the kernel's default, 0.
 */
export function arpSender(w: Walk, out: LinkEntry, target: string, pktSrc: string | undefined): string | undefined {
  const ns = out.netns;
  const announce = confMax(out, 'arpAnnounce') ?? 0;
  const own = addressesOn(out);
  if (pktSrc !== undefined && announce <= 1 && w.index.isLocal(ns, pktSrc)) {
    if (announce === 0 || own.some((a) => inSubnet(a, target) && inSubnet(a, pktSrc))) return pktSrc;
  }
  const usable = own.filter((a) => a.scope !== 'host');
  return (
    usable.find((a) => inSubnet(a, target))?.address ??
    usable[0]?.address ??
    ns.ns.addresses.find((a) => a.family === 'inet' && a.scope === 'global')?.address
  );
}
