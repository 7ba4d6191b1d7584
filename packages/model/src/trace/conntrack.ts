import type { PortRange } from '../net/portRange.ts';
import type { NfCtState } from '../netfilter/nfPacket.ts';
import type { NetnsEntry } from '../topology/snapshotIndex.ts';
import type { IpPacket, Transport } from './packet.ts';

/** A connection's addresses and ports in one direction. */
interface Tuple {
  readonly src: string | undefined;
  readonly dst: string;
  readonly sport: number | undefined;
  readonly dport: number | undefined;
  /** Where a port is not known: the ports it was picked from (see PortRange). */
  readonly sportRange?: PortRange | undefined;
  readonly dportRange?: PortRange | undefined;
}

/**
 * Each namespace's connection tracking over one trace: the request creates an entry where it is
 * tracked, and its reply finds it there (ESTABLISHED) or not (an echo reply or a SYN-ACK nobody asked for is
 * INVALID). NAT on the request moves the tuple its reply is expected with; the reply is rewritten
 * back — its destination where it enters (before routing), its source where it leaves. Shared by a
 * trace's request and reply walks.
 */
export class Conntrack {
  // Each map is made at its first entry: every silent walk of the rules (~10⁴–10⁵ at cluster
  // scale) gets a table of its own, and only NAT fills the last two.
  /** By the tuple a reply arrives with: the request's tuple as it was first seen. */
  private entries: Map<string, Tuple> | undefined;
  /** Replies whose source is still to be rewritten where they leave the namespace. */
  private pendingSrc: Map<string, Tuple> | undefined;
  /** Addresses a DNAT sent a connection back to from themselves (source left as it was), and where. */
  private hairpins: Map<string, NetnsEntry> | undefined;
  /** How often the table was asked or changed: a walk that left it unchanged did not depend on it. */
  uses = 0;

  /** The state conntrack gives a packet entering a namespace's stack. */
  stateOf(ns: NetnsEntry, pkt: IpPacket): NfCtState {
    this.uses++;
    const l4 = pkt.l4;
    // Neighbour discovery is never tracked (nf_conntrack_icmpv6: noct_valid_new).
    if (l4.proto === 'nd') return 'untracked';
    // An empty table (every silent walk of the rules, until its first tracked packet) builds no key.
    if (this.entries !== undefined && this.entries.size > 0 && this.entries.has(key(ns, pkt))) return 'established';
    // Only an echo request may open an ICMP connection; an unsolicited reply is INVALID.
    if (l4.proto === 'icmp') return l4.type === 'echo-request' ? 'new' : 'invalid';
    if (l4.proto === 'tcp' && opensNothing(l4.flags)) return 'invalid';
    return 'new';
  }

  /** The packet passed conntrack in this namespace (not NOTRACKed): its reply will be ESTABLISHED. */
  track(ns: NetnsEntry, pkt: IpPacket): void {
    this.uses++;
    if (pkt.l4.proto !== 'nd') (this.entries ??= new Map()).set(replyKey(ns, pkt), tuple(pkt));
  }

  /** NAT rewrote a tracked request from `before` to `after`: its reply comes back to `after`'s source. */
  natted(ns: NetnsEntry, before: IpPacket, after: IpPacket): void {
    this.uses++;
    if (this.entries === undefined) return;
    const k = replyKey(ns, before);
    const orig = this.entries.get(k);
    if (!orig) return;
    if (after.dst !== before.dst && after.src === after.dst) (this.hairpins ??= new Map()).set(after.dst, ns);
    this.entries.delete(k);
    this.entries.set(replyKey(ns, after), orig);
  }

  /** The namespace whose DNAT sent a connection from `addr` back to `addr` without rewriting its source. */
  hairpinnedBy(addr: string): NetnsEntry | undefined {
    this.uses++;
    return this.hairpins?.get(addr);
  }

  /**
   * A reply entering the namespace: its destination back to the request's original source (un-SNAT,
   * before routing). Its source is rewritten by `leaving` (un-DNAT, at POSTROUTING or INPUT).
   */
  entering(ns: NetnsEntry, pkt: IpPacket): IpPacket {
    this.uses++;
    const orig = this.entries === undefined || this.entries.size === 0 ? undefined : this.entries.get(key(ns, pkt));
    if (!orig || orig.src === undefined) return pkt;
    const out = withDst(pkt, orig.src, orig.sport, orig.sportRange);
    if (pkt.src !== orig.dst || portOf(pkt.l4, 'sport') !== orig.dport)
      (this.pendingSrc ??= new Map()).set(key(ns, out), orig);
    return out;
  }

  /** A reply leaving the namespace (or delivered in it): its source back to the address the request was sent to. */
  leaving(ns: NetnsEntry, pkt: IpPacket): IpPacket {
    this.uses++;
    const orig =
      this.pendingSrc === undefined || this.pendingSrc.size === 0 ? undefined : this.pendingSrc.get(key(ns, pkt));
    if (!orig) return pkt;
    const l4 = pkt.l4;
    const moved: Transport =
      (l4.proto === 'tcp' || l4.proto === 'udp') && orig.dport !== undefined
        ? { ...withoutRange(l4, 'sportRange'), sport: orig.dport }
        : l4;
    return { ...pkt, src: orig.dst, l4: moved };
  }
}

/**
 * A TCP segment conntrack refuses to open a connection with (`tcp_new`: the NONE row of
 * tcp_conntracks leads to sIV): a SYN-ACK or a RST nobody's SYN went out for — the reply of a
 * connection whose request took another path. A SYN opens one; a plain ACK is picked up mid-stream
 * (nf_conntrack_tcp_loose, on by default).
 */
const opensNothing = (flags: readonly string[]): boolean =>
  flags.includes('rst') || (flags.includes('syn') && flags.includes('ack'));

const portOf = (l4: Transport, which: 'sport' | 'dport'): number | undefined =>
  l4.proto === 'tcp' || l4.proto === 'udp' ? l4[which] : undefined;

const tuple = (pkt: IpPacket): Tuple => {
  const l4 = pkt.l4;
  const ports = l4.proto === 'tcp' || l4.proto === 'udp';
  return {
    src: pkt.src,
    dst: pkt.dst,
    sport: portOf(l4, 'sport'),
    dport: portOf(l4, 'dport'),
    sportRange: ports ? l4.sportRange : undefined,
    dportRange: ports ? l4.dportRange : undefined,
  };
};

/** A TCP or UDP header without one of its port ranges. */
function withoutRange<T extends { readonly sportRange?: PortRange; readonly dportRange?: PortRange }>(
  l4: T,
  which: 'sportRange' | 'dportRange',
): T {
  if (l4[which] === undefined) return l4;
  const out = { ...l4 };
  delete out[which];
  return out;
}

/** The reply with its destination back to the request's source (its port, or the range it was picked from). */
function withDst(pkt: IpPacket, dst: string, dport: number | undefined, dportRange: PortRange | undefined): IpPacket {
  const l4 = pkt.l4;
  if (l4.proto !== 'tcp' && l4.proto !== 'udp') return { ...pkt, dst };
  const rest = withoutRange(l4, 'dportRange');
  return { ...pkt, dst, l4: dportRange === undefined ? { ...rest, dport } : { ...rest, dport, dportRange } };
}

/**
 * The ICMP type a tuple carries in place of ports (nf_conntrack_proto_icmp): an echo request's
 * reply tuple holds an echo reply, so a request whose source and destination are one address (a
 * DNAT to the sender's own) is never taken for its own reply.
 */
const icmpType = (l4: Transport, reply: boolean): number | undefined =>
  l4.proto === 'icmp' ? ((l4.type === 'echo-request') !== reply ? 8 : 0) : undefined;

/** The tuple a reply to this packet carries (addresses and ports swapped), as a key. */
function replyKey(ns: NetnsEntry, pkt: IpPacket): string {
  const l4 = pkt.l4;
  return tupleKey(ns, l4.proto, pkt.dst, portOf(l4, 'dport') ?? icmpType(l4, true), pkt.src ?? '', portOf(l4, 'sport'));
}

function key(ns: NetnsEntry, pkt: IpPacket): string {
  const l4 = pkt.l4;
  return tupleKey(ns, l4.proto, pkt.src, portOf(l4, 'sport') ?? icmpType(l4, false), pkt.dst, portOf(l4, 'dport'));
}

// Built in one template, from the namespace's id made once: the tracer keys every packet it tracks.
function tupleKey(
  ns: NetnsEntry,
  proto: Transport['proto'],
  src: string | undefined,
  sport: number | undefined,
  dst: string,
  dport: number | undefined,
): string {
  // ICMP: `sport` is the echo's type (see icmpType), there are no ports.
  const icmp = proto === 'icmp';
  return `${ns.id}|${proto}|${src ?? ''}|${sport ?? '?'}|${dst}|${icmp ? '' : (dport ?? '?')}`;
}
