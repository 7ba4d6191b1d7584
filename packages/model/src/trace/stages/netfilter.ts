import { netnsId } from '../../ids.ts';
import { isBroadcastMac, isMulticastMac, parseIp } from '../../net/ip.ts';
import type { PortRange } from '../../net/portRange.ts';
import { addrTypeIn } from '../../netfilter/addrType.ts';
import { evaluateHook, type ChanceOutcome, type HookResult, type UnknownWay } from '../../netfilter/evaluate.ts';
import { natWords } from '../../netfilter/natWords.ts';
import type { CompiledFirewall } from '../../netfilter/compileFirewall.ts';
import { firewallOf } from '../../netfilter/firewallOf.ts';
import type { BaseChain, RuleRef } from '../../netfilter/ir.ts';
import type { NfCtState, NfEnv, NfFamily, NfHook, NfPacket } from '../../netfilter/nfPacket.ts';
import type { LinkEntry, NetnsEntry } from '../../topology/snapshotIndex.ts';
import type { Outcome } from '../outcome.ts';
import type { Frame, IpPacket, Packet } from '../packet.ts';
import { frameBytes, packetBytes, type PacketBytes } from '../packetBytes.ts';
import type { Walk } from '../walk.ts';
import { applyNat, endText } from './natApply.ts';

/** Where a hook runs: the devices it knows, the bridge ports under br_netfilter, the frame if there is one. */
export interface HookPlace {
  readonly iif?: LinkEntry | undefined;
  readonly oif?: LinkEntry | undefined;
  readonly physIn?: LinkEntry | undefined;
  readonly physOut?: LinkEntry | undefined;
  /** The frame as it arrived, for link-layer fields; absent for a packet the stack is sending. */
  readonly frame?: Frame | undefined;
}

/** Hooks where conntrack first sees a packet in a namespace (at priority -200). */
const ENTRY: ReadonlySet<NfHook> = new Set(['prerouting', 'output']);

/**
 * A netfilter hook of a namespace (NF_HOOK): every chain nftables and iptables (both backends)
 * put there, by priority, with conntrack between them at prerouting and output. Returns the
 * packet as it goes on (its mark and conntrack state), or the outcome where a rule or policy drops
 * or rejects it, or where the verdict cannot be told (a rule hoplens cannot evaluate, a part of the
 * firewall the collector could not read) — never a silent pass. A connection's first packet may be
 * NATed (see natApply.ts); its reply is rewritten back as conntrack does: its destination where it
 * enters the namespace, its source where it leaves (POSTROUTING) or is delivered (INPUT).
 */
export function nfHook<P extends Packet>(
  w: Walk,
  ns: NetnsEntry,
  family: NfFamily,
  hook: NfHook,
  pkt: P,
  at: HookPlace,
): P | Outcome {
  const r = hookOnce(w, ns, family, hook, pkt, at);
  // NAT's source manip is an IP hook's (NF_INET_POST_ROUTING, LOCAL_IN): a bridge's own LOCAL_IN or
  // POST_ROUTING chains see the reply before it, its source as the endpoint sent it.
  if (stopped(r) || r.kind !== 'ip' || !(hook === 'postrouting' || hook === 'input') || !ipHookFamily(family)) return r;
  const left = w.conntrack.leaving(ns, r);
  if (left !== r) unNatHop(w, ns, hopLink(at), r, left, 'src');
  return left as Packet as P;
}

const ipHookFamily = (f: NfFamily): boolean => f === 'ipv4' || f === 'ipv6';

/** Bridged through br_netfilter, the kernel's skb is still on the port it came in by: the hop is there. */
const hopLink = (at: HookPlace): LinkEntry | undefined => at.physIn ?? at.iif ?? at.oif;

/** Says where conntrack rewrites a reply back (the NAT its request met, undone). */
function unNatHop(
  w: Walk,
  ns: NetnsEntry,
  link: LinkEntry | undefined,
  a: IpPacket,
  b: IpPacket,
  which: 'src' | 'dst',
): void {
  w.hop({
    ns,
    link,
    component: 'nat',
    action: 'forwarded',
    verdict: 'ok',
    reason: `conntrack rewrites the reply's ${which === 'src' ? 'source' : 'destination'} ${endText(a, which)} → ${endText(b, which)}`,
  });
}

/** What of a namespace's firewall could not be read that this family's hooks would run, in words. */
function gapText(fw: CompiledFirewall, family: NfFamily): string | undefined {
  for (const g of fw.gaps)
    if (g.family === 'all' || g.family === family) return `${g.what} of this namespace could not be read (${g.reason})`;
  return undefined;
}

function hookOnce<P extends Packet>(
  w: Walk,
  ns: NetnsEntry,
  family: NfFamily,
  hook: NfHook,
  arrived: P,
  at: HookPlace,
): P | Outcome {
  const fw = firewallOf(w.index, ns);
  const entry = arrived.kind === 'ip' && ENTRY.has(hook) && (family === 'ipv4' || family === 'ipv6');
  const conntrack = entry && arrived.kind === 'ip' ? w.conntrack.stateOf(ns, arrived) : undefined;
  const pkt = (conntrack === 'established' && arrived.kind === 'ip' ? w.conntrack.entering(ns, arrived) : arrived) as P;
  if (pkt !== arrived && pkt.kind === 'ip' && arrived.kind === 'ip' && pkt.dst !== arrived.dst)
    unNatHop(w, ns, hopLink(at), arrived, pkt, 'dst');
  const ip: IpPacket | undefined = pkt.kind === 'ip' ? pkt : undefined;
  const link = hopLink(at);
  // A snapshot taken before hoplens read firewalls, or a source that sent none: the hook is there
  // whatever was collected, and what its rules do is not known — never passed as if it had none.
  const unread =
    fw === undefined ? 'the firewall of this namespace (nftables, iptables) was not collected' : gapText(fw, family);
  if (fw === undefined || unread !== undefined) {
    return w.stop({
      ns,
      link,
      component: 'netfilter',
      verdict: 'unknown',
      reason: `${label(family, hook)}: ${unread}, and its rules may accept the packet, drop it or change it: which, hoplens cannot tell`,
    });
  }
  const chains = fw.chainsAt(family, hook, family === 'netdev' ? link?.link.name : undefined);
  if (chains.length === 0) {
    if (!ip || conntrack === undefined) return pkt;
    if (conntrack !== 'untracked') w.conntrack.track(ns, ip);
    // Already in that state (each namespace after the first sees a new packet as new): no copy to
    // make, and the frame around it stays the same object (see transmit).
    return ip.ct === conntrack ? pkt : { ...pkt, ct: conntrack };
  }
  return evaluated(w, ns, fw, chains, { link, family, hook, at, entry }, pkt, conntrack);
}

/**
 * The chains of a hook run over the packet (memoized per snapshot, see HookMemo), and what that
 * decides. Apart from hookOnce, which has no closure left: V8 makes the context of a function's
 * closures when the function starts, and in hookOnce that was at every hook of every walk, nearly
 * all without a chain — 88 of the 624 MB the rules' 30,000 silent walks allocated at 5,000 nodes.
 */
function evaluated<P extends Packet>(
  w: Walk,
  ns: NetnsEntry,
  fw: CompiledFirewall,
  chains: readonly BaseChain[],
  place: Place,
  pkt: P,
  conntrack: NfCtState | undefined,
): P | Outcome {
  const { family, hook, at, entry } = place;
  const ip: IpPacket | undefined = pkt.kind === 'ip' ? pkt : undefined;
  const name = (le: LinkEntry | undefined): string => le?.link.name ?? '';
  const key = [
    netnsId(ns.ref),
    family,
    hook,
    name(at.iif),
    name(at.oif),
    name(at.physIn),
    name(at.physOut),
    conntrack ?? '',
    // Rules read the frame's bytes and the packet's fields: after conntrack un-NATs a reply, two.
    // The frame's own fields are keyed even when it carries this very packet (pkttype, ether saddr).
    at.frame === undefined ? '' : at.frame.packet === pkt ? linkLayerKey(at.frame) : JSON.stringify(at.frame),
    JSON.stringify(pkt),
  ].join('|');
  const result = w.run.hookMemo.get(key, () =>
    evaluateHook({
      chains,
      packet: nfPacket(pkt, at),
      state: { mark: ip?.mark ?? 0, ct: entry ? 'invalid' : (ip?.ct ?? 'untracked'), notrack: false },
      env: { addrType: addrTypeOf(ns), ipsets: fw.ipsets },
      ...(conntrack === undefined ? {} : { conntrack }),
    }),
  );
  return decide(w, ns, place, pkt, result);
}

/** Where a hook's result is decided: its namespace's device, family and hook, and whether conntrack ran there. */
interface Place {
  readonly link: LinkEntry | undefined;
  readonly family: NfFamily;
  readonly hook: NfHook;
  readonly at: HookPlace;
  readonly entry: boolean;
}

function decide<P extends Packet>(w: Walk, ns: NetnsEntry, place: Place, pkt: P, result: HookResult): P | Outcome {
  const { link, family, hook, entry } = place;
  const where = label(family, hook);
  const r = result.verdict === 'chance' ? chosen(w, ns, place, result.outcomes) : result;
  if (r.verdict === 'unknown') {
    return w.stop({
      ns,
      link,
      component: 'netfilter',
      verdict: 'unknown',
      reason: `${where}: ${r.ref ? `${ruleName(r.ref)} \`${r.ref.text}\`: ` : ''}${r.why}${waysText(r.ways)}`,
      ...(r.ref ? { rule: r.ref } : {}),
    });
  }
  if (r.verdict === 'drop' || r.verdict === 'reject') {
    const how = r.verdict === 'reject' ? `rejects it (the kernel answers ${r.reject ?? 'an ICMP error'})` : 'drops it';
    return w.stop({
      ns,
      link,
      component: 'netfilter',
      verdict: 'dropped',
      reason: `${where}: ${ruleName(r.ref)} \`${r.ref.text}\` ${how}${counted(r.ref)}`,
      rule: r.ref,
      // NF_DROP, a REJECT's too (it sends its error, then drops): nf_hook_slow frees the skb so.
      dropReason: 'NETFILTER_DROP',
    });
  }
  if (r.events.length > 0) {
    w.hop({
      ns,
      link,
      component: 'netfilter',
      action: 'forwarded',
      verdict: 'ok',
      reason: `${where}: ${r.events.map((e) => `${ruleName(e.ref)} \`${e.ref.text}\` ${e.what}`).join('; ')}`,
      rule: r.events[r.events.length - 1]!.ref,
    });
  }
  if (pkt.kind !== 'ip' || r.verdict !== 'accept') return pkt;
  if (entry && r.state.ct !== 'untracked') w.conntrack.track(ns, pkt);
  const next: IpPacket = { ...pkt, mark: r.state.mark, ct: r.state.ct };
  return (r.state.nat ? applyNat(w, ns, hook, next, r.state.nat, place.at) : next) as P | Outcome;
}

/**
 * What a hook that cannot be told could do, said as conditions: each end the evaluation came to
 * either way of a match it cannot evaluate, or, past a target or statement it does not follow,
 * that what comes next is not known.
 */
function waysText(ways: readonly UnknownWay[] | undefined): string {
  if (ways === undefined || ways.length === 0) return ': what the hook does with the packet from there cannot be told';
  const words = ways.map((w) =>
    w.verdict === 'accept'
      ? 'accepted'
      : `${w.verdict === 'drop' ? 'dropped' : `rejected${w.reject ? ` (with ${w.reject})` : ''}`} by ${ruleName(w.ref)}`,
  );
  if (words.length === 1)
    return `: it would be ${words[0]} either way, but its mark, conntrack state or NAT would differ`;
  return `: depending on it, the packet would be ${words.join(' or ')}`;
}

/** The outcome of a random choice this branch of the trace follows (see chooser.ts), said on a hop. */
function chosen(w: Walk, ns: NetnsEntry, place: Place, outcomes: readonly ChanceOutcome[]): ChanceOutcome['result'] {
  const labels = outcomes.map((o) => outcomeLabel(o.result));
  const i = w.run.chooser.pick(
    labels,
    outcomes.map((o) => o.probability),
  );
  const o = outcomes[i]!;
  const first = o.first;
  w.hop({
    ns,
    link: place.link,
    component: 'nat',
    action: 'forwarded',
    verdict: 'ok',
    reason:
      `${label(place.family, place.hook)}: ${first ? `${ruleName(first.ref)} ` : ''}picks one of ${outcomes.length} ways at random; ` +
      `this branch follows ${labels[i]} (probability ${o.probability.toFixed(3)})`,
    ...(first ? { rule: first.ref } : {}),
  });
  return o.result;
}

/** A way through random choices, named by what it leads to: the endpoint it DNATs to, or its verdict. */
export function outcomeLabel(r: ChanceOutcome['result']): string {
  if (r.verdict === 'accept') {
    const t = r.state.nat?.target;
    if (t?.kind === 'dnat') return t.port === undefined ? t.addr : `${t.addr}:${t.port}`;
    return t ? natWords(t) : 'no NAT';
  }
  if (r.verdict === 'unknown') return `unknown (${r.why})`;
  return `${r.verdict} by ${ruleName(r.ref)}`;
}

/**
 * What one hook of a namespace decides about a packet, without a walk (for rules that ask one
 * question, such as whether a tunnel's packets are NOTRACKed); undefined where the namespace has no
 * firewall data or no chain at that hook.
 */
export function hookVerdict(
  index: Walk['index'],
  ns: NetnsEntry,
  family: NfFamily,
  hook: NfHook,
  pkt: IpPacket,
  at: HookPlace,
): HookResult | undefined {
  const fw = firewallOf(index, ns);
  const chains = fw?.chainsAt(family, hook, family === 'netdev' ? (at.iif ?? at.oif)?.link.name : undefined) ?? [];
  if (!fw || chains.length === 0) return undefined;
  const entry = ENTRY.has(hook);
  return evaluateHook({
    chains,
    packet: nfPacket(pkt, at),
    state: { mark: pkt.mark, ct: entry ? 'invalid' : pkt.ct, notrack: false },
    env: { addrType: addrTypeOf(ns), ipsets: fw.ipsets },
    ...(entry ? { conntrack: pkt.ct } : {}),
  });
}

/** Did the stage end the walk, or hand the packet on? */
export const stopped = <P extends Packet>(r: P | Outcome): r is Outcome => 'verdict' in r;

const HOOK_NAMES: Readonly<Record<NfHook, string>> = {
  prerouting: 'PREROUTING',
  input: 'INPUT',
  forward: 'FORWARD',
  output: 'OUTPUT',
  postrouting: 'POSTROUTING',
  ingress: 'ingress',
  egress: 'egress',
};

const label = (family: NfFamily, hook: NfHook): string =>
  `${family === 'ipv4' ? 'IPv4' : family === 'ipv6' ? 'IPv6' : family} ${HOOK_NAMES[hook]} hook`;

/** `iptables-nft filter INPUT rule 3`, `nftables inet hostfw input rule handle 7`, `… policy`. */
export function ruleName(ref: RuleRef): string {
  const table = ref.backend === 'nftables' ? `${ref.family} ${ref.table}` : ref.table;
  const which =
    ref.handle === undefined
      ? 'policy'
      : ref.backend === 'nftables'
        ? `rule handle ${ref.handle}`
        : `rule ${ref.handle}`;
  return `${ref.backend} ${table} ${ref.chain} ${which}`;
}

const counted = (ref: RuleRef): string => (ref.packets === undefined ? '' : ` (${ref.packets} packets counted)`);

const addrTypes = new WeakMap<NetnsEntry, NfEnv['addrType']>();
function addrTypeOf(ns: NetnsEntry): NfEnv['addrType'] {
  let f = addrTypes.get(ns);
  if (!f) addrTypes.set(ns, (f = addrTypeIn(ns.ns)));
  return f;
}

const ICMP: Readonly<Record<string, [number, number]>> = { 'echo-request': [8, 128], 'echo-reply': [0, 129] };

const TCP_FLAG_BITS: Readonly<Record<string, number>> = { fin: 1, syn: 2, rst: 4, ack: 16 };

/**
 * The packet as matches read it at this hook, every field set in the constructor (one shape for
 * every packet); its bytes are built the first time a rule asks (a getter: spreading would call it).
 */
class HookPacket implements NfPacket {
  readonly family: NfPacket['family'];
  readonly src: NfPacket['src'];
  readonly dst: NfPacket['dst'];
  readonly l4proto: number | undefined;
  readonly sport: number | undefined;
  readonly dport: number | undefined;
  readonly sportRange: PortRange | undefined;
  readonly dportRange: PortRange | undefined;
  readonly icmpType: number | undefined;
  readonly icmpCode: number | undefined;
  readonly tcpFlags: number | undefined;
  readonly length: number;
  readonly iif: string | undefined;
  readonly oif: string | undefined;
  readonly physIn: string | undefined;
  readonly physOut: string | undefined;
  readonly bridged: boolean;
  readonly pktType: NfPacket['pktType'];
  private built: PacketBytes | undefined;

  constructor(
    private readonly pkt: Packet,
    private readonly at: HookPlace,
  ) {
    this.iif = at.iif?.link.name;
    this.oif = at.oif?.link.name;
    this.physIn = at.physIn?.link.name;
    this.physOut = at.physOut?.link.name;
    this.bridged = at.physIn !== undefined;
    this.pktType = pktType(pkt, at.frame);
    if (pkt.kind === 'arp') {
      this.family = 'arp';
      this.length = 28;
      return;
    }
    const v6 = pkt.dst.includes(':');
    const l4 = pkt.l4;
    this.family = v6 ? 'ipv6' : 'ipv4';
    this.src = pkt.src === undefined ? undefined : parseIp(pkt.src);
    this.dst = parseIp(pkt.dst);
    this.l4proto = l4.proto === 'icmp' ? (v6 ? 58 : 1) : l4.proto === 'nd' ? 58 : l4.proto === 'udp' ? 17 : 6;
    this.icmpType =
      l4.proto === 'icmp'
        ? ICMP[l4.type]![v6 ? 1 : 0]
        : l4.proto === 'nd'
          ? l4.type === 'solicit'
            ? 135
            : 136
          : undefined;
    this.icmpCode = this.icmpType === undefined ? undefined : 0;
    if (l4.proto === 'udp' || l4.proto === 'tcp') {
      this.sport = l4.sport;
      this.dport = l4.dport;
      this.sportRange = l4.sportRange;
      this.dportRange = l4.dportRange;
    }
    if (l4.proto === 'tcp') {
      let flags = 0;
      for (const f of l4.flags) flags |= TCP_FLAG_BITS[f] ?? 0;
      this.tcpFlags = flags;
    }
    this.length = pkt.size;
  }

  get bytes(): PacketBytes {
    return (this.built ??= this.at.frame ? frameBytes(this.at.frame) : packetBytes(this.pkt));
  }
}

/** A frame's link-layer fields, what rules read of it beside its packet. */
const linkLayerKey = (f: Frame): string => `${f.srcMac ?? ''}>${f.dstMac}${f.vlan === undefined ? '' : `.${f.vlan}`}`;

/** The packet as matches read it at this hook. Its bytes are built only if a rule asks for them. */
const nfPacket = (pkt: Packet, at: HookPlace): NfPacket => new HookPacket(pkt, at);

function pktType(pkt: Packet, frame: Frame | undefined): NfPacket['pktType'] {
  if (frame) {
    if (isBroadcastMac(frame.dstMac)) return 'broadcast';
    if (isMulticastMac(frame.dstMac)) return 'multicast';
    return 'host';
  }
  if (pkt.kind === 'ip') {
    const d = parseIp(pkt.dst);
    if (d && ((d.family === 4 && d.value >> 28n === 0xen) || (d.family === 6 && d.value >> 120n === 0xffn)))
      return 'multicast';
  }
  return 'host';
}
