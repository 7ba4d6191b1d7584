import { parseIp, parsePrefix, prefixContains, type IpValue } from '../net/ip.ts';
import type { Address, Route } from '../schema/inventory.ts';
import type { LinkEntry, NetnsEntry } from '../topology/snapshotIndex.ts';

const SCOPES: Readonly<Record<string, number>> = {
  global: 0,
  universe: 0,
  site: 200,
  link: 253,
  host: 254,
  nowhere: 255,
};
const LINK = 253;
const scopeOf = (name: string): number => SCOPES[name] ?? (Number(name) || 0);

/**
 * The IPv4 source the kernel gives a namespace's own packet routed out of `out` by `route`, which
 * has no `src` (`fib_result_prefsrc` → `inet_select_addr(dev, gateway, route scope)`): the first
 * primary address of `out` within the route's scope whose subnet holds the gateway (a route
 * without one takes the first), else the first primary of `out` within scope, else the first
 * primary address of any device, in device order, of a scope up to the route's but not link. A
 * route via a gateway is of scope global unless it says otherwise, so a link- or host-scoped
 * address never sources it. Addresses are in the kernel's order, as collected; one whose subnet an
 * earlier address of the device already has is secondary (`__inet_insert_ifa` flags it so).
 */
export function selectSource4(
  ns: NetnsEntry,
  out: LinkEntry,
  route: Pick<Route, 'gateway' | 'scope'>,
): string | undefined {
  const scope = route.scope === undefined ? (route.gateway === undefined ? LINK : 0) : scopeOf(route.scope);
  const gw = route.gateway === undefined ? undefined : parseIp(route.gateway);
  const onOut = primaries(ns, out.link.ifindex).filter((a) => Math.min(scopeOf(a.scope), LINK) <= scope);
  const chosen = (gw?.family === 4 ? onOut.find((a) => subnetOf(a)?.contains(gw)) : undefined) ?? onOut[0];
  if (chosen) return chosen.address;
  // in_dev_select_addr, device by device (lo first).
  for (const link of [...ns.ns.links].sort((a, b) => a.ifindex - b.ifindex)) {
    const a = primaries(ns, link.ifindex).find((x) => scopeOf(x.scope) !== LINK && scopeOf(x.scope) <= scope);
    if (a) return a.address;
  }
  return undefined;
}

/** A device's primary IPv4 addresses: each that no earlier address of the device shares a subnet with. */
function primaries(ns: NetnsEntry, ifindex: number): Address[] {
  const seen = new Set<string>();
  const out: Address[] = [];
  for (const a of ns.ns.addresses) {
    if (a.ifindex !== ifindex || a.family !== 'inet') continue;
    const net = subnetOf(a)?.key;
    if (net === undefined || seen.has(net)) continue;
    seen.add(net);
    out.push(a);
  }
  return out;
}

/** An IPv4 address's subnet: a key (length and network), and whether it holds an address. */
function subnetOf(a: Address): { key: string; contains: (ip: IpValue) => boolean } | undefined {
  const prefix = parsePrefix(`${a.address}/${a.prefixlen}`, 4);
  if (!prefix) return undefined;
  return {
    key: `${prefix.length}/${prefix.value >> BigInt(32 - prefix.length)}`,
    contains: (ip) => prefixContains(prefix, ip),
  };
}
