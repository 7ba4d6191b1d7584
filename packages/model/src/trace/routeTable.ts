import { parseIp, parsePrefix, prefixContains, type IpValue, type Prefix } from '../net/ip.ts';
import { DEFAULT_RULES } from '../net/defaultRules.ts';
import { rangeIn, type PortRange } from '../net/portRange.ts';
import type { NetnsInventory, PolicyRule, Route } from '../schema/inventory.ts';

/** Policy rules by family, by ascending priority; a family without rules of its own gets the kernel's. */
function compileRules(all: readonly PolicyRule[]): Record<4 | 6, CompiledRule[]> {
  const compile = (family: 'inet' | 'inet6'): CompiledRule[] => {
    const fam = family === 'inet' ? 4 : 6;
    const own = all.filter((r) => r.family === family);
    return (own.length > 0 ? own : DEFAULT_RULES.filter((r) => r.family === family))
      .map((rule) => ({
        rule,
        src: rule.src === undefined ? undefined : parsePrefix(rule.src, fam),
        dst: rule.dst === undefined ? undefined : parsePrefix(rule.dst, fam),
        fwmark: parseMark(rule.fwmark),
      }))
      .sort((a, b) => a.rule.priority - b.rule.priority);
  };
  return { 4: compile('inet'), 6: compile('inet6') };
}

/** What a lookup knows of the packet besides its destination. */
export interface FlowKey {
  /** Source address; undefined for a locally generated packet whose source is not chosen yet. */
  readonly src?: string | undefined;
  /** Receiving device for a forwarded packet; undefined (the kernel's `lo`) for local output. */
  readonly iif?: string | undefined;
  /** The packet's firewall mark (0 unless a rule set one), for `fwmark` rules. */
  readonly mark?: number | undefined;
  /**
   * The packet's L4, for `ipproto`, `sport`, `dport` rules: undefined for the kernel's lookups that
   * carry none (an ARP request's, the source check's), which such rules do not match. A port is
   * undefined where the packet has none to compare (ICMP) or it is not known (chosen by a hash).
   */
  readonly l4?:
    | {
        readonly proto: number;
        readonly sport?: number | undefined;
        readonly dport?: number | undefined;
        /** Where a port is not known: the ports the kernel picks it from, where known (see PortRange). */
        readonly sportRange?: PortRange | undefined;
        readonly dportRange?: PortRange | undefined;
      }
    | undefined;
  /**
   * The device whose VRF (l3mdev master) binds the lookup, where it is not `iif`: the source check
   * (`fib_validate_source`) looks up from the device a packet came in on, as if it came in by another.
   */
  readonly l3mdev?: string | undefined;
}

/** The result of a lookup: a route, or a rule whose action ended it (blackhole, unreachable, prohibit). */
export type RouteMatch =
  | { readonly kind: 'route'; readonly route: Route; readonly length: number; readonly rule: PolicyRule }
  | { readonly kind: 'rule'; readonly rule: PolicyRule };

/**
 * A lookup hoplens cannot evaluate, and why: a rule whose selectors it cannot evaluate for this
 * packet, or (without a rule) a packet of a device in a VRF, which the kernel routes in the VRF's
 * table.
 */
export interface UnknownMatch {
  readonly kind: 'unknown';
  readonly rule?: PolicyRule;
  readonly why: string;
}

/** What a lookup answers: a route, an ending rule, what it cannot evaluate, or nothing (no route). */
export type LookupResult = RouteMatch | UnknownMatch | undefined;

interface CompiledRule {
  readonly rule: PolicyRule;
  readonly src: Prefix | undefined;
  readonly dst: Prefix | undefined;
  readonly fwmark: { mark: number; mask: number } | undefined;
}

/** Exactly the kernel's own rules (most namespaces: every pod's), whatever their order. */
function isDefault(rules: readonly PolicyRule[]): boolean {
  if (rules.length !== DEFAULT_RULES.length) return false;
  return (
    rules.every((r) => {
      const keys = Object.keys(r);
      return (
        keys.length === 5 &&
        r.action === 'lookup' &&
        !r.invert &&
        DEFAULT_RULES.some((d) => d.family === r.family && d.priority === r.priority && d.table === r.table)
      );
    }) && new Set(rules.map((r) => `${r.family} ${r.priority}`)).size === DEFAULT_RULES.length
  );
}

/** The kernel's default rules compiled once: most namespaces have no rules of their own (read-only, shared). */
const DEFAULT_COMPILED = compileRules(DEFAULT_RULES);

/**
 * Policy routing and longest-prefix match as the kernel does them: rules by ascending priority,
 * each selecting a table (or ending the lookup); a table with no match, or a `throw` route, hands
 * on to the next rule. Within a table, O(prefix length) instead of O(routes): routes are grouped by
 * (table, family, length, masked destination), and a lookup tries each length from the longest.
 */
export class RouteTable {
  /** By table, then family (index 0: IPv4, 1: IPv6). */
  private readonly tables = new Map<string, [Buckets | undefined, Buckets | undefined]>();
  private readonly rules: Record<4 | 6, CompiledRule[]>;
  /** Why no lookup can be told: the namespace's policy rules were not collected (undefined: they were). */
  private readonly untold: string | undefined;
  /** What `tun_id` and `l3mdev` rules ask of a receiving device; built only where such a rule or a VRF is. */
  private readonly devices: DeviceFacts | undefined;

  constructor(ns: NetnsInventory) {
    for (const route of ns.routes) {
      if (route.type === 'broadcast' || route.type === 'multicast') continue;
      const family = route.dst === 'default' ? familyOfRoute(route) : parseIp(route.dst.split('/')[0] ?? '')?.family;
      if (!family) continue;
      const prefix = parsePrefix(route.dst, family);
      if (!prefix) continue;
      let table = this.tables.get(route.table);
      if (!table) this.tables.set(route.table, (table = [undefined, undefined]));
      const slot = family === 4 ? 0 : 1;
      const buckets: Buckets = (table[slot] ??= { lengths: [], byLength: new Map() });
      let byNet = buckets.byLength.get(prefix.length);
      if (!byNet) {
        buckets.byLength.set(prefix.length, (byNet = new Map<number | bigint, Route[]>()));
        buckets.lengths.push(prefix.length);
      }
      const net = masked(prefix, prefix.length);
      const list = byNet.get(net);
      if (list) list.push(route);
      else byNet.set(net, [route]);
    }
    for (const table of this.tables.values()) for (const b of table) b?.lengths.sort((a, b) => b - a);
    this.rules = ns.rules === undefined || isDefault(ns.rules) ? DEFAULT_COMPILED : compileRules(ns.rules);
    // Rules decide which table a lookup reads (and may end it): without them, a route found in
    // main could be the wrong one, or none at all — never taken for the kernel's defaults.
    this.untold =
      ns.rules === undefined
        ? "this namespace's policy rules (ip rule) were not collected, so which table the kernel looks in, if any, is not known"
        : undefined;
    this.devices =
      ns.rules?.some((r) => r.tunId !== undefined || r.l3mdev) || ns.links.some((l) => l.kind === 'vrf')
        ? deviceFacts(ns)
        : undefined;
  }

  /**
   * The route (or ending rule) the kernel picks for a lookup without L4 (an ARP request's, the
   * source check's, a rule's question), or what makes it unknown: a `tun_id` rule meeting a packet
   * from a tunnel, a device in a VRF. A caller must not read `unknown` as "no route".
   */
  lookup(dst: string, flow: Omit<FlowKey, 'l4'> = {}): LookupResult {
    return this.lookupFlow(dst, flow);
  }

  /** The route (or ending rule) the kernel picks for a packet to `dst`, or what it cannot evaluate. */
  lookupFlow(dst: string, flow: FlowKey = {}): LookupResult {
    const ip = parseIp(dst);
    if (!ip) return undefined;
    if (this.untold !== undefined) return { kind: 'unknown', why: this.untold };
    const vrf = this.vrfOf(flow.l3mdev ?? flow.iif);
    if (vrf !== undefined) return { kind: 'unknown', why: vrf };
    const src = flow.src === undefined ? undefined : parseIp(flow.src);
    const rules = this.rules[ip.family];
    for (let i = 0; i < rules.length; i++) {
      const c = rules[i]!;
      const hit = matches(c, ip, src, flow.iif, flow.mark ?? 0) ? selectsRest(c.rule, flow, this.devices) : false;
      if (typeof hit === 'string') return { kind: 'unknown', rule: c.rule, why: hit };
      if (hit === c.rule.invert) continue;
      const { rule } = c;
      switch (rule.action) {
        case 'blackhole':
        case 'unreachable':
        case 'prohibit':
          return { kind: 'rule', rule };
        case 'goto': {
          const target = rules.findIndex((r) => r.rule.priority >= (rule.goto ?? Infinity));
          if (target > i) i = target - 1;
          continue;
        }
        case 'nop':
          continue;
        case 'lookup': {
          const found = this.lookupIn(rule.table ?? 'main', ip);
          if (!found || found.route.type === 'throw') continue;
          if (rule.suppressPrefixlen !== undefined && found.length <= rule.suppressPrefixlen) continue;
          return { kind: 'route', route: found.route, length: found.length, rule };
        }
      }
    }
    return undefined;
  }

  /**
   * Why a lookup for a packet of `dev` is not traced, where `dev` is a VRF or one of its ports: the
   * kernel routes it in the VRF's table (`flowi4_l3mdev`, the l3mdev rule; `vrf_l3_rcv` makes the
   * VRF its receiving device), which hoplens does not read — never the main table.
   */
  private vrfOf(dev: string | undefined): string | undefined {
    const vrf = dev === undefined ? undefined : this.devices?.vrfOf.get(dev);
    if (vrf === undefined) return undefined;
    const port = vrf === dev ? `${dev} is a VRF` : `${dev} is enslaved to VRF ${vrf}`;
    return `${port}: the kernel routes its packets in the VRF's own table (l3mdev), which hoplens does not trace`;
  }

  private lookupIn(table: string, ip: IpValue): { route: Route; length: number } | undefined {
    const buckets = this.tables.get(table)?.[ip.family === 4 ? 0 : 1];
    if (!buckets) return undefined;
    for (const length of buckets.lengths) {
      const routes = buckets.byLength.get(length)?.get(masked(ip, length));
      if (!routes) continue;
      const route = routes.reduce((a, b) => ((b.metric ?? 0) < (a.metric ?? 0) ? b : a));
      return { route, length };
    }
    return undefined;
  }
}

/** One table's routes of one family: by prefix length, then by the masked destination. */
interface Buckets {
  /** The prefix lengths present, longest first. */
  readonly lengths: number[];
  readonly byLength: Map<number, Map<number | bigint, Route[]>>;
}

/**
 * The network part of an address, shifted down: a number for IPv4 (a lookup makes one per prefix
 * length tried, and BigInt shifts and keys cost several times more), a BigInt for IPv6.
 */
function masked(ip: IpValue, length: number): number | bigint {
  if (ip.family === 4) return Math.floor(Number(ip.value) / 2 ** (32 - length));
  return ip.value >> BigInt(128 - length);
}

/**
 * Does a packet meet a rule's selectors? A locally generated packet has no source yet (so a `from`
 * prefix other than /0 does not match) and comes in on `lo`; its mark is what rules set (0 else).
 */
function matches(
  c: CompiledRule,
  dst: IpValue,
  src: IpValue | undefined,
  iif: string | undefined,
  mark: number,
): boolean {
  if (c.src && c.src.length > 0 && (!src || !prefixContains(c.src, src))) return false;
  if (c.dst && !prefixContains(c.dst, dst)) return false;
  if (c.rule.iif !== undefined && c.rule.iif !== (iif ?? 'lo')) return false;
  if (c.rule.oif !== undefined) return false;
  if (c.fwmark && (mark ^ c.fwmark.mark) & c.fwmark.mask) return false;
  return true;
}

/** The receiving devices a `tun_id` or `l3mdev` rule could select: tunnels, and VRFs with their ports. */
interface DeviceFacts {
  readonly tunnels: ReadonlySet<string>;
  /** A VRF's name by its own name and by each of its ports'. */
  readonly vrfOf: ReadonlyMap<string, string>;
}

/** Kinds whose packets may carry tunnel metadata (collect_md, `external`), which is not collected. */
const TUNNEL_KINDS = new Set([
  'vxlan',
  'geneve',
  'gre',
  'gretap',
  'ip6gre',
  'ip6gretap',
  'ipip',
  'sit',
  'ip6tnl',
  'erspan',
  'ip6erspan',
  'bareudp',
]);

function deviceFacts(ns: NetnsInventory): DeviceFacts {
  const vrfs = new Map(ns.links.filter((l) => l.kind === 'vrf').map((l) => [l.ifindex, l.name]));
  const vrfOf = new Map<string, string>();
  for (const l of ns.links) {
    const vrf = vrfs.get(l.ifindex) ?? (l.masterIfindex === undefined ? undefined : vrfs.get(l.masterIfindex));
    if (vrf !== undefined) vrfOf.set(l.name, vrf);
  }
  return { tunnels: new Set(ns.links.filter((l) => TUNNEL_KINDS.has(l.kind)).map((l) => l.name)), vrfOf };
}

/**
 * The selectors besides addresses, devices and marks (`fib_rule_match`, `fib4_rule_match`). The
 * traced packets carry TOS 0, as ping and connect send by default, so a `tos` rule never selects
 * them. `tun_id` selects only packets that came with tunnel metadata (a tunnel device in external
 * mode, which is not collected), `l3mdev` only packets of a device in a VRF (whose routing is not
 * traced): elsewhere neither matches, on such a device the answer is unknown. A selector hoplens
 * does not read makes any lookup that reaches the rule unknown.
 */
function selectsRest(rule: PolicyRule, flow: FlowKey, devices: DeviceFacts | undefined): boolean | string {
  if (rule.unevaluated !== undefined && rule.unevaluated.length > 0)
    return `its ${rule.unevaluated.join(', ')} selector is not evaluated by hoplens`;
  if (rule.tos !== undefined) return false;
  if (rule.tunId !== undefined) {
    if (flow.iif === undefined || !devices?.tunnels.has(flow.iif)) return false;
    return `its tun_id ${rule.tunId} selector meets a packet from tunnel ${flow.iif}, whose metadata mode is not collected`;
  }
  // A packet of a device in a VRF never reaches a rule (lookupFlow answers unknown first).
  if (rule.l3mdev) return false;
  return selectsL4(rule, flow);
}

/**
 * A rule's L4 and uid selectors (`fib_rule_match`, `fib4_rule_match`): true where the packet meets
 * them all, false where it fails one, or why that cannot be told — a port rule for ICMP (the kernel
 * compares the ICMP type and code, or the checksum, as ports) or a port chosen by a hash, a uid
 * range for a namespace's own packet (the sender's uid is not known; a forwarded one, and the
 * kernel's own lookups, have uid 0).
 */
function selectsL4(rule: PolicyRule, flow: FlowKey): boolean | string {
  const { ipproto, sport, dport, uidRange } = rule;
  if (ipproto === undefined && sport === undefined && dport === undefined && uidRange === undefined) return true;
  const l4 = flow.l4;
  if (ipproto !== undefined && (l4?.proto ?? 0) !== ipproto) return false;
  const tcpUdp = l4 !== undefined && (l4.proto === 6 || l4.proto === 17);
  for (const [what, r, port, range] of [
    ['sport', sport, l4?.sport, l4?.sportRange],
    ['dport', dport, l4?.dport, l4?.dportRange],
  ] as const) {
    if (r === undefined) continue;
    if (l4 === undefined) {
      if (r.start > 0) return false;
      continue;
    }
    if (!tcpUdp)
      return `its ${what} ${r.start}-${r.end} selector is compared with what the kernel reads as ports of a protocol ${l4.proto} packet`;
    if (port === undefined) {
      // A port the kernel picks from a known range: told where the whole range answers alike.
      const all = range && rangeIn(range, [[r.start, r.end]]);
      if (all === false) return false;
      if (all === true) continue;
      return range
        ? `its ${what} ${r.start}-${r.end} selector meets a port the kernel picks from ${range.start}-${range.end}, of which only some are selected`
        : `its ${what} ${r.start}-${r.end} selector meets a port chosen by a hash`;
    }
    if (port < r.start || port > r.end) return false;
  }
  if (uidRange !== undefined) {
    if (flow.iif === undefined && l4 !== undefined)
      return `its uidrange ${uidRange.start}-${uidRange.end} selects the sending socket's owner, which is not known`;
    if (uidRange.start > 0) return false;
  }
  return true;
}

function parseMark(text: string | undefined): { mark: number; mask: number } | undefined {
  if (text === undefined) return undefined;
  const [mark, mask] = text.split('/');
  return { mark: Number(mark), mask: mask === undefined ? 0xffffffff : Number(mask) };
}

/** A route's family: recorded by the collector; for older snapshots, read off its addresses. */
function familyOfRoute(route: Route): 4 | 6 {
  if (route.family) return route.family === 'inet6' ? 6 : 4;
  return parseIp(route.gateway ?? route.prefsrc ?? '')?.family ?? 4;
}
