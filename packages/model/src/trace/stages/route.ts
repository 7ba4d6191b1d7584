import type { Outcome } from '../outcome.ts';
import type { IpPacket } from '../packet.ts';
import type { RouteMatch } from '../routeTable.ts';
import type { Walk } from '../walk.ts';
import type { LinkEntry, NetnsEntry } from '../../topology/snapshotIndex.ts';
import { parseIp } from '../../net/ip.ts';

/** Where the routing decision sends a packet: out of a device, to a next hop, from a source. */
export interface RouteDecision {
  readonly out: LinkEntry;
  readonly nexthop: string;
  readonly src: string | undefined;
}

/**
 * The routing decision (`fib_lookup`): policy rules, then longest-prefix match. A locally generated
 * packet (no `iif`) takes its source from the route or the egress device; a forwarded one keeps its
 * own, and policy rules may select on the device it came in on. Records the routing hop, or stops
 * the walk where no usable route is found.
 */
export function route(w: Walk, ns: NetnsEntry, pkt: IpPacket, iif?: LinkEntry): RouteDecision | Outcome {
  const match = w.index.routes(ns).lookup(pkt.dst, { src: pkt.src, iif: iif?.link.name, mark: pkt.mark });
  const stop = (verdict: 'dropped' | 'unknown', reason: string): Outcome =>
    w.stop({ ns, component: 'routing', verdict, reason });
  if (!match) return stop('dropped', `no route to ${pkt.dst}`);
  if (match.kind === 'rule') return stop('dropped', `policy ${ruleText(match)} ends the lookup: ${match.rule.action}`);
  const r = match.route;
  if (r.type !== 'unicast') return stop('dropped', `route ${r.dst}${tableText(match)} is of type ${r.type}`);
  const out = r.dev === undefined ? undefined : ns.linksByName.get(r.dev);
  if (!out) return stop('unknown', `route ${r.dst} names device ${r.dev ?? '?'}, which was not collected`);
  const via = r.gateway ? ` via ${r.gateway}` : '';
  w.hop({
    ns,
    link: out,
    component: 'routing',
    action: 'forwarded',
    verdict: 'ok',
    reason: `${pkt.dst} matches ${r.dst}${via} dev ${out.link.name}${tableText(match)}`,
  });
  return { out, nexthop: r.gateway ?? pkt.dst, src: pkt.src ?? r.prefsrc ?? sourceFor(ns, out, pkt.dst) };
}

/** The source address the kernel picks for a local packet: a global one on the device, else any. */
function sourceFor(ns: NetnsEntry, out: LinkEntry, dst: string): string | undefined {
  const family = parseIp(dst)?.family === 6 ? 'inet6' : 'inet';
  const onDev = ns.ns.addresses.find(
    (a) => a.ifindex === out.link.ifindex && a.family === family && a.scope === 'global',
  );
  return (onDev ?? ns.ns.addresses.find((a) => a.family === family && a.scope === 'global'))?.address;
}

const tableText = (m: Extract<RouteMatch, { kind: 'route' }>): string =>
  m.route.table === 'main' && m.rule.priority === 32766 ? '' : ` in table ${m.route.table} (${ruleText(m)})`;

function ruleText(m: RouteMatch): string {
  const r = m.rule;
  const sel = [
    r.invert ? 'not' : '',
    r.src ? `from ${r.src}` : '',
    r.dst ? `to ${r.dst}` : '',
    r.iif ? `iif ${r.iif}` : '',
  ]
    .filter(Boolean)
    .join(' ');
  return `rule ${r.priority}${sel ? ` ${sel}` : ''}`;
}

/** Did the stage end the walk, or decide where the packet goes? */
export const isOutcome = (r: RouteDecision | Outcome): r is Outcome => 'verdict' in r;
