import { MAX_LISTENING_SOCKETS } from '@hoplens/model';
import type {
  Address,
  CollectError,
  NatChain,
  FdbEntry,
  Firewall,
  ListeningSockets,
  Neighbor,
  PolicyRule,
  ProxyNeighbor,
  RawOutput,
  Route,
  Sysctls,
  TcFilter,
  UnrepliedUdp,
} from '@hoplens/model';
import { collectFirewall } from './netfilter/collectFirewall.ts';
import { parseNftTableList } from './netfilter/parseNftTableList.ts';
import { parseLegacyTables, type NetfilterPresence } from './netfilter/presence.ts';
import { FAMILY_REFUSED } from './familyRefused.ts';
import { insideNetns } from './insideNetns.ts';
import { deviceArg, netnsArgs } from './netnsArgs.ts';
import { parseAddresses } from './parse/parseAddresses.ts';
import { withBridgeVlans } from './parse/bridgeVlan.ts';
import { parseBridgeVlans } from './parse/parseBridgeVlans.ts';
import { parseFdb } from './parse/parseFdb.ts';
import type { ParsedLink } from './parse/linkFields.ts';
import { parseLinks } from './parse/parseLinks.ts';
import { parseNatChains } from './parse/parseNatChains.ts';
import { parseNeighbors, parseProxyNeighbors } from './parse/parseNeighbors.ts';
import { parseListening, SS_LISTENING } from './parse/parseListening.ts';
import { parseNsids } from './parse/parseNsids.ts';
import { parseRoutes, withMtuLocks } from './parse/parseRoutes.ts';
import { parseRules } from './parse/parseRules.ts';
import { parseSysctls } from './parse/parseSysctls.ts';
import { parseUnreplied, UNREPLIED_AWK } from './parse/parseUnreplied.ts';
import { hasFilters, parseQdiscs, parseTcFilters, type ParsedQdisc } from './parse/parseTc.ts';
import { runCommand } from './runCommand.ts';
import { SYSCTL_GREP } from './sysctlFiles.ts';
import type { NetnsJob } from './netlink/netnsJob.ts';

/** One namespace as collected, before cross-namespace references are resolved. */
export interface RawNetns {
  readonly name: string | null;
  readonly root: boolean;
  readonly path?: string;
  readonly holder?: string;
  readonly links: ParsedLink[];
  readonly addresses: Address[];
  readonly routes: Route[];
  /** Policy rules of both families; undefined where either could not be listed. */
  readonly rules: PolicyRule[] | undefined;
  readonly neighbors: Neighbor[];
  /** Proxy neighbour entries; undefined where they could not be listed. */
  readonly proxyNeighbors: ProxyNeighbor[] | undefined;
  readonly tcFilters: TcFilter[];
  readonly qdiscs: ParsedQdisc[];
  /** Bridge and VXLAN forwarding entries; undefined where they could not be listed. */
  readonly fdb: FdbEntry[] | undefined;
  readonly ipForward: boolean | undefined;
  readonly sysctls: Sysctls | undefined;
  /** Packet filters; undefined only where the backend could not tell whether there are any. */
  readonly firewall: Firewall | undefined;
  /** nftables NAT base chains; undefined where they could not be listed. */
  readonly natChains: NatChain[] | undefined;
  readonly conntrackUnreplied: UnrepliedUdp | undefined;
  /** Listening sockets; undefined where they could not be listed. */
  readonly listening: ListeningSockets | undefined;
  readonly nsids: Map<number, string | undefined>;
  readonly raw: RawOutput[];
  readonly errors: CollectError[];
}

const IP_FORWARD = '/proc/sys/net/ipv4/ip_forward';

/** A 0/1 sysctl value. */
function parseSysctlFlag(text: string): boolean {
  const v = text.trim();
  if (v !== '0' && v !== '1') throw new Error(`expected 0 or 1, got ${JSON.stringify(v.slice(0, 20))}`);
  return v === '1';
}

/**
 * Runs one command and parses it; a failure becomes a recorded error and an empty result. `kept`
 * bounds the text kept as raw output, for a command whose output can be huge.
 */
type Step = <T>(argv: string[], parse: (text: string) => T, empty: T, kept?: (text: string) => string) => Promise<T>;

/** The first lines of `ss` output that can be kept as sockets (one more shows there were more). */
const ssKept = (text: string): string => text.split('\n', MAX_LISTENING_SOCKETS + 1).join('\n');

/**
 * Collects one namespace: links, addresses, routes (v4 and v6, all tables), policy rules, neighbors,
 * fdb, nsids, sysctls, and tc filters of each device that has an ingress or clsact qdisc. Returns
 * `{error}` when the links cannot be read (the namespace is gone or unreadable), or a part the
 * inventory holds as a plain list — addresses, routes, neighbours, qdiscs, tc filters — cannot:
 * an empty list would say "none", and the tracer would walk on that as a fact (no route: dropped).
 * A part that may be absent (policy rules, fdb, proxy entries, sysctls, …) is left out instead.
 */
export async function collectNetns(job: NetnsJob): Promise<RawNetns | { error: CollectError }> {
  const { name, root, path } = job;
  const raw: RawOutput[] = [];
  const errors: CollectError[] = [];
  const ip = netnsArgs('ip', name, path);
  const tc = netnsArgs('tc', name, path);
  // The commands that failed, by their argv (the very array passed to step).
  const failed = new Map<string[], CollectError>();
  const step: Step = async (argv, parse, empty, kept) => {
    try {
      const output = await runCommand(argv);
      raw.push({ command: argv, output: kept ? kept(output) : output });
      return parse(output);
    } catch (e) {
      const error = { netns: name, command: argv, message: (e as Error).message };
      errors.push(error);
      failed.set(argv, error);
      return empty;
    }
  };
  /** The first of these commands that failed, as the namespace's error: its part cannot be empty. */
  const unread = (what: string, argvs: string[][]): { error: CollectError } | undefined => {
    const e = argvs.map((a) => failed.get(a)).find((x) => x !== undefined);
    return e && { error: { ...e, message: `${what} could not be read, so this namespace is left out: ${e.message}` } };
  };
  const linkArgv = [...ip, '-s', '-d', '-j', 'link', 'show'];
  let links: ParsedLink[];
  try {
    const output = await runCommand(linkArgv);
    raw.push({ command: linkArgv, output });
    links = parseLinks(output);
  } catch (e) {
    return { error: { netns: name, command: linkArgv, message: (e as Error).message } };
  }
  // /proc/sys/net and the netfilter tools are per namespace: run them from inside the namespace.
  const inside = (argv: string[]): string[] => insideNetns(name, path, argv);
  const sysctlsAndTables = (t: string): { sysctls: Sysctls; legacy: NetfilterPresence['legacy'] } => ({
    sysctls: parseSysctls(t),
    legacy: parseLegacyTables(t),
  });
  const addrArgv = [...ip, '-j', 'addr', 'show'];
  // `table all` dumps every family unless told -4: v6 routes would come twice, labelled inet.
  const route4Argv = [...ip, '-4', '-d', '-j', 'route', 'show', 'table', 'all'];
  const route6Argv = [...ip, '-6', '-d', '-j', 'route', 'show', 'table', 'all'];
  const neighArgv = [...ip, '-j', 'neigh', 'show'];
  const qdiscArgv = [...tc, '-j', 'qdisc', 'show'];
  const rule6Argv = [...ip, '-6', '-j', 'rule', 'show'];
  const [
    addresses,
    routes4,
    routes6,
    rules4,
    rules6,
    neighbors,
    proxyNeighbors,
    fdb,
    nsids,
    qdiscs,
    ipForward,
    procNet,
    nftTables,
    natChains,
    conntrackUnreplied,
    listening,
  ] = await Promise.all([
    step(addrArgv, parseAddresses, []),
    step(route4Argv, (t) => parseRoutes(t, 'inet'), []),
    step(route6Argv, (t) => parseRoutes(t, 'inet6'), []),
    step([...ip, '-4', '-j', 'rule', 'show'], (t) => parseRules(t, 'inet'), undefined),
    step(rule6Argv, (t) => parseRules(t, 'inet6'), undefined),
    step(neighArgv, parseNeighbors, []),
    step([...ip, '-j', 'neigh', 'show', 'proxy'], parseProxyNeighbors, undefined),
    step([...netnsArgs('bridge', name, path), '-j', 'fdb', 'show'], parseFdb, undefined),
    step([...ip, '-j', 'netns', 'list-id'], parseNsids, new Map<number, string | undefined>()),
    step(qdiscArgv, parseQdiscs, [] as ParsedQdisc[]),
    step(inside(['cat', IP_FORWARD]), parseSysctlFlag, undefined),
    step(inside(SYSCTL_GREP), sysctlsAndTables, undefined),
    step(inside(['nft', '-j', 'list', 'tables']), parseNftTableList, undefined),
    step(inside(['nft', '-j', 'list', 'chains']), parseNatChains, undefined),
    step(inside(UNREPLIED_AWK), parseUnreplied, undefined),
    step(inside(SS_LISTENING), parseListening, undefined, ssKept),
  ]);
  const missing =
    unread('its addresses', [addrArgv]) ??
    unread('its routes', [route4Argv, route6Argv]) ??
    unread('its neighbour table', [neighArgv]) ??
    unread('its qdiscs (and so its tc filters)', [qdiscArgv]);
  if (missing) return missing;
  // Only where a route sets an MTU: whether it is locked is in `ip route`'s text alone.
  const locked = async (routes: Route[], family: '-4' | '-6'): Promise<Route[]> =>
    routes.some((r) => r.mtu !== undefined)
      ? step([...ip, family, '-d', 'route', 'show', 'table', 'all'], (t) => withMtuLocks(routes, t), routes)
      : routes;
  const [routes4Locked, routes6Locked] = await Promise.all([locked(routes4, '-4'), locked(routes6, '-6')]);
  const fw = await collectFirewall(
    name,
    { nft: nftTables ?? [], legacy: procNet?.legacy ?? { ipv4: [], ipv6: [], arp: [] } },
    async (argv, timeoutMs) => {
      const command = inside([...argv]);
      return { command, output: await runCommand(command, timeoutMs) };
    },
  );
  raw.push(...fw.raw);
  errors.push(...fw.errors);
  // Without the list of nftables tables, whether this namespace filters packets is not known.
  const firewall =
    nftTables === undefined
      ? {
          ...fw.firewall,
          gaps: [
            ...fw.firewall.gaps,
            { family: 'all' as const, what: 'nftables', reason: 'nft -j list tables failed' },
          ],
        }
      : fw.firewall;
  // A port's VLANs, asked only where there is a bridge (as the netlink helper does).
  if (links.some((l) => l.link.kind === 'bridge')) {
    const argv = [...netnsArgs('bridge', name, path), '-c', '-j', 'vlan', 'show'];
    links = withBridgeVlans(links, await step(argv, parseBridgeVlans, undefined), (l) => l.name);
  }
  const byName = new Map(links.map((l) => [l.link.name, l.link.ifindex]));
  const filterArgvs: string[][] = [];
  const filterSets = await Promise.all(
    qdiscs.filter(hasFilters).flatMap((q) => {
      const ifindex = byName.get(q.dev);
      if (ifindex === undefined) return [];
      let dev: string;
      try {
        dev = deviceArg(q.dev);
      } catch (e) {
        const argv = [...tc, '-j', 'filter', 'show', 'dev', '?'];
        failed.set(argv, { netns: name, command: argv, message: (e as Error).message });
        filterArgvs.push(argv);
        return [];
      }
      // Only clsact has an egress hook; asking for egress on a plain ingress qdisc returns the ingress filters.
      const hooks: ('ingress' | 'egress')[] = q.kind === 'clsact' ? ['ingress', 'egress'] : ['ingress'];
      return hooks.map((hook) => {
        const argv = [...tc, '-j', 'filter', 'show', 'dev', dev, hook];
        filterArgvs.push(argv);
        return step(argv, (t) => parseTcFilters(t, dev, ifindex, hook), []);
      });
    }),
  );
  const noFilters = unread('its tc filters', filterArgvs);
  if (noFilters) return noFilters;
  // IPv6 off at boot: the kernel refuses the family's rules, which is "none", not "unread": no error.
  const noIpv6 = rules6 === undefined && FAMILY_REFUSED.test(failed.get(rule6Argv)?.message ?? '');
  const ipv6Rules = rules6 ?? (noIpv6 ? [] : undefined);
  return {
    name,
    root,
    ...(path !== undefined ? { path } : {}),
    ...(job.holder !== undefined ? { holder: job.holder } : {}),
    links,
    addresses,
    routes: [...routes4Locked, ...routes6Locked],
    rules: rules4 && ipv6Rules && [...rules4, ...ipv6Rules],
    neighbors,
    proxyNeighbors,
    tcFilters: filterSets.flat(),
    qdiscs,
    fdb,
    ipForward,
    sysctls: procNet?.sysctls,
    firewall,
    natChains,
    conntrackUnreplied,
    listening,
    nsids,
    raw,
    errors: noIpv6 ? errors.filter((e) => e !== failed.get(rule6Argv)) : errors,
  };
}
