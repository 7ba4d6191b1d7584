import type { Outcome } from '../outcome.ts';
import type { IpPacket } from '../packet.ts';
import type { FlowKey, RouteMatch, UnknownMatch } from '../routeTable.ts';
import type { Walk } from '../walk.ts';
import type { PolicyRule, Route } from '../../schema/inventory.ts';
import type { LinkEntry, NetnsEntry } from '../../topology/snapshotIndex.ts';
import { parseIp } from '../../net/ip.ts';
import { selectSource4, selectSource6 } from '../selectSource.ts';

/** Where the routing decision sends a packet: out of a device, to a next hop, from a source. */
export interface RouteDecision {
  readonly out: LinkEntry;
  readonly nexthop: string;
  readonly src: string | undefined;
  /** The route's own MTU, where it sets one (finishOutput says where it stands for the device's). */
  readonly mtu?: number;
  /** `mtu lock`: a forwarded IPv6 packet is held to the route's MTU at once (`ip6_forward`). */
  readonly mtuLock?: boolean;
}

/**
 * The routing decision (`fib_lookup`): policy rules, then longest-prefix match. A locally generated
 * packet (no `iif`) takes its source from the route or the egress device; a forwarded one keeps its
 * own, and policy rules may select on the device it came in on. Records the routing hop, or stops
 * the walk where no usable route is found. `rerouted`: the lookup the OUTPUT hook makes again for a
 * packet whose mark or destination it changed (`ip_route_me_harder`), where a failure is the hook's
 * NF_DROP — the kernel frees it as NETFILTER_DROP, whatever the route says.
 */
export function route(
  w: Walk,
  ns: NetnsEntry,
  pkt: IpPacket,
  iif?: LinkEntry,
  rerouted = false,
): RouteDecision | Outcome {
  const match = w.index.routes(ns).lookupFlow(pkt.dst, {
    src: pkt.src,
    iif: iif?.link.name,
    mark: pkt.mark,
    l4: flowL4(pkt),
  });
  const stop = (verdict: 'dropped' | 'unknown', reason: string, dropReason?: string): Outcome =>
    rerouted && verdict === 'dropped'
      ? w.stop({
          ns,
          component: 'routing',
          verdict,
          reason: `re-routed after the OUTPUT hook changed it (ip_route_me_harder), the hook drops it: ${reason}`,
          dropReason: 'NETFILTER_DROP',
        })
      : w.stop({ ns, component: 'routing', verdict, reason, dropReason });
  const v6 = pkt.dst.includes(':');
  // A tunnel's own packet has no sender waiting on an errno: vxlan_xmit_one drops it.
  const local = pkt.l4.proto === 'udp' && pkt.l4.vxlan ? 'IP_OUTNOROUTES' : 'ENETUNREACH';
  if (!match) return stop('dropped', `no route to ${pkt.dst}`, iif ? 'IP_INNOROUTES' : local);
  if (match.kind === 'unknown') return stop('unknown', unknownText(match));
  if (match.kind === 'rule') {
    const why = `policy ${ruleText(match.rule)} ends the lookup: ${match.rule.action}`;
    return stop('dropped', why, refusal(match.rule.action, iif !== undefined, v6));
  }
  const r = match.route;
  if (r.type !== 'unicast') {
    return stop(
      'dropped',
      `route ${r.dst}${tableText(match)} is of type ${r.type}`,
      refusal(r.type, iif !== undefined, v6),
    );
  }
  const out = r.dev === undefined ? undefined : ns.linksByName.get(r.dev);
  if (!out)
    return stop(
      'unknown',
      `route ${r.dst} names device ${r.dev ?? '?'}, which was not collected: where the packet leaves cannot be told`,
    );
  const src = pkt.src ?? r.prefsrc ?? sourceFor(ns, out, pkt.dst, r);
  // ip6_dst_lookup_tail: a namespace's own packet with no address to speak from is never sent; the
  // send fails (EADDRNOTAVAIL). A neighbour solicitation and a tunnel's packet choose theirs apart.
  if (v6 && !iif && src === undefined && pkt.l4.proto !== 'nd' && !(pkt.l4.proto === 'udp' && pkt.l4.vxlan)) {
    return stop(
      'dropped',
      `${pkt.dst} matches ${r.dst} dev ${out.link.name}, but no IPv6 address here can be its source (an address ` +
        'still tentative, or whose duplicate address detection failed, does not count): the send fails',
      'EADDRNOTAVAIL',
    );
  }
  const via = r.gateway ? ` via ${r.gateway}` : '';
  if (!w.silent)
    w.hop({
      ns,
      link: out,
      component: 'routing',
      action: 'forwarded',
      verdict: 'ok',
      reason: `${pkt.dst} matches ${r.dst}${via} dev ${out.link.name}${tableText(match)}`,
    });
  return {
    out,
    nexthop: r.gateway ?? pkt.dst,
    src,
    ...routeMtu(r),
    ...(r.mtuLock ? { mtuLock: true } : {}),
  };
}

/** A route's own MTU for a RouteDecision, where it sets one (`mtu 0` sets none). */
export const routeMtu = (r: Route): { mtu?: number } => (r.mtu === undefined || r.mtu === 0 ? {} : { mtu: r.mtu });

/** What `ipproto`/`sport`/`dport` rules compare: the protocol number, and TCP/UDP ports. */
function flowL4(pkt: IpPacket): FlowKey['l4'] {
  const l4 = pkt.l4;
  const v6 = pkt.dst.includes(':');
  switch (l4.proto) {
    case 'icmp':
      return { proto: v6 ? 58 : 1 };
    case 'nd':
      return { proto: 58 };
    case 'tcp':
    case 'udp':
      return {
        proto: l4.proto === 'tcp' ? 6 : 17,
        sport: l4.sport,
        dport: l4.dport,
        sportRange: l4.sportRange,
        dportRange: l4.dportRange,
      };
  }
}

/**
 * The source address the kernel picks for a local packet routed out of `out` (by a route without
 * `src`): IPv4 as `inet_select_addr` does (selectSource4), IPv6 as `ipv6_dev_get_saddr` (selectSource6).
 */
export function sourceFor(
  ns: NetnsEntry,
  out: LinkEntry,
  dst: string,
  route: Pick<Route, 'gateway' | 'scope'>,
): string | undefined {
  return parseIp(dst)?.family === 6 ? selectSource6(ns, out, dst) : selectSource4(ns, out, route);
}

/** Why a lookup is unknown, naming the rule where one is the cause. */
export const unknownText = (m: UnknownMatch): string =>
  m.rule === undefined ? m.why : `policy ${ruleText(m.rule)} may select it: ${m.why}`;

const tableText = (m: Extract<RouteMatch, { kind: 'route' }>): string =>
  m.route.table === 'main' && m.rule.priority === 32766 ? '' : ` in table ${m.route.table} (${ruleText(m.rule)})`;

function ruleText(r: PolicyRule): string {
  const sel = [
    r.invert ? 'not' : '',
    r.src ? `from ${r.src}` : '',
    r.dst ? `to ${r.dst}` : '',
    r.iif ? `iif ${r.iif}` : '',
    r.ipproto !== undefined ? `ipproto ${r.ipproto}` : '',
    r.sport ? `sport ${r.sport.start}-${r.sport.end}` : '',
    r.dport ? `dport ${r.dport.start}-${r.dport.end}` : '',
    r.uidRange ? `uidrange ${r.uidRange.start}-${r.uidRange.end}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return `rule ${r.priority}${sel ? ` ${sel}` : ''}`;
}

/**
 * What the kernel calls a lookup that ends in a blackhole, unreachable or prohibit route or rule: a
 * forwarded packet is dropped by `ip_error` (IPv4, no reason given) or `ip6_pkt_drop` (IPv6, counted
 * as no route; a blackhole discards silently); a local one is refused at send with an errno.
 */
function refusal(type: string, forwarded: boolean, v6: boolean): string | undefined {
  if (forwarded) return v6 && type !== 'blackhole' ? 'IP_INNOROUTES' : 'NOT_SPECIFIED';
  return { blackhole: 'EINVAL', unreachable: 'EHOSTUNREACH', prohibit: 'EACCES' }[type];
}

/** Did the stage end the walk, or decide where the packet goes? */
export const isOutcome = (r: RouteDecision | Outcome): r is Outcome => 'verdict' in r;
