import { addressPrefix } from '../net/addressPrefix.ts';
import { isLinkLocal6, parseIp, prefixContains, type IpValue } from '../net/ip.ts';
import type { Address, Route } from '../schema/inventory.ts';
import { usableAddress } from '../net/usableAddress.ts';
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
  const prefix = addressPrefix(a);
  if (!prefix) return undefined;
  return {
    key: `${prefix.length}/${prefix.value >> BigInt(32 - prefix.length)}`,
    contains: (ip) => prefixContains(prefix, ip),
  };
}

/** IPv6 scopes as `ipv6_addr_scope` numbers them (RFC 4291): larger is wider. */
const SCOPES6: Readonly<Record<string, number>> = { host: 0x1, link: 0x2, site: 0x5, global: 0xe, universe: 0xe };

/** A destination's scope: loopback, link-local, a multicast group's own, else global. */
function scope6(dst: IpValue): number {
  if (dst.value === 1n) return 0x1;
  if (isLinkLocal6(dst)) return 0x2;
  if (dst.value >> 120n === 0xffn) return Number((dst.value >> 112n) & 0xfn);
  return 0xe;
}

/** How many leading bits two IPv6 addresses share. */
function commonPrefix(a: bigint, b: bigint): number {
  let x = a ^ b;
  let n = 128;
  while (x > 0n) {
    x >>= 1n;
    n--;
  }
  return n;
}

/**
 * The IPv6 source the kernel gives a namespace's own packet to `dst` routed out of `out` by a route
 * without `src` (`ipv6_dev_get_saddr`, RFC 6724 §5). Candidates are the namespace's addresses the
 * kernel counts as its own — never one still tentative or whose duplicate address detection failed
 * (see usableAddress) — only `out`'s for a link-local destination. Of those: the destination
 * itself (rule 1); the smallest scope that is not narrower than the destination's, else the widest
 * (rule 2: a pod whose only global address is tentative speaks from its link-local one); not
 * deprecated (rule 3); on `out` (rule 5); the longest prefix shared with the destination (rule 8).
 * Rules 4, 6 and 7 (home addresses, labels, temporary addresses) do not tell pod addresses apart.
 */
export function selectSource6(ns: NetnsEntry, out: LinkEntry, dst: string): string | undefined {
  const d = parseIp(dst);
  if (d?.family !== 6) return undefined;
  const dScope = scope6(d);
  type Candidate = { a: Address; value: bigint; scope: number };
  const candidates: Candidate[] = [];
  for (const a of ns.ns.addresses) {
    if (a.family !== 'inet6' || !usableAddress(a)) continue;
    if (dScope <= 0x2 && a.ifindex !== out.link.ifindex) continue;
    const value = parseIp(a.address)?.value;
    if (value === undefined) continue;
    const scope = SCOPES6[a.scope] ?? (Number(a.scope) || 0xe);
    // A loopback source leaves no namespace.
    if (scope === 0x1 && dScope !== 0x1) continue;
    candidates.push({ a, value, scope });
  }
  const better = (x: Candidate, y: Candidate): boolean => {
    if (x.value === d.value || y.value === d.value) return x.value === d.value;
    if (x.scope !== y.scope) return x.scope < y.scope ? x.scope >= dScope : y.scope < dScope;
    const xDep = x.a.flags?.includes('deprecated') ?? false;
    const yDep = y.a.flags?.includes('deprecated') ?? false;
    if (xDep !== yDep) return !xDep;
    const xOut = x.a.ifindex === out.link.ifindex;
    if (xOut !== (y.a.ifindex === out.link.ifindex)) return xOut;
    return commonPrefix(x.value, d.value) > commonPrefix(y.value, d.value);
  };
  let best: Candidate | undefined;
  for (const c of candidates) if (!best || better(c, best)) best = c;
  return best?.a.address;
}
