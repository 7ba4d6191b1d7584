import { interfaceId, netnsId, netnsPath, hostId } from '../ids.ts';
import type { Change, SnapshotDiff } from '../schema/diff.ts';
import type { HostInventory, Link, NetnsInventory, Route, TcFilter } from '../schema/inventory.ts';
import type { Analysis } from '../snapshot/analyze.ts';
import { linkState } from '../topology/linkState.ts';
import type { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { findingKeys } from './findingKeys.ts';

/**
 * Each link of a namespace by name, with its facts that matter to a packet, by field: what the diff
 * compares. Peers are named through the snapshot's index.
 */
function linkFacts(index: SnapshotIndex, ns: NetnsInventory): Map<string, Record<string, string>> {
  const names = new Map(ns.links.map((x) => [x.ifindex, x.name]));
  const addresses = new Map<number, string[]>();
  for (const a of ns.addresses) {
    if (linkLocal6(a.address)) continue;
    addresses.set(a.ifindex, [...(addresses.get(a.ifindex) ?? []), `${a.address}/${a.prefixlen}`]);
  }
  const factsOf = (l: Link): Record<string, string> => {
    const facts: Record<string, string> = {
      kind: l.kind,
      mac: l.mac ?? '',
      mtu: String(l.mtu),
      state: linkState(l),
      addresses: [...(addresses.get(l.ifindex) ?? [])].sort().join(', '),
    };
    if (l.masterIfindex !== undefined) facts.master = names.get(l.masterIfindex) ?? String(l.masterIfindex);
    if (l.peer) facts.peer = `${netnsPath(l.peer)}/${index.link(l.peer)?.link.name ?? `#${l.peer.ifindex}`}`;
    if (l.vxlan) {
      facts.vni = String(l.vxlan.vni);
      facts.port = String(l.vxlan.port);
      facts.remote = l.vxlan.remote ?? '';
      facts.local = l.vxlan.local ?? '';
    }
    return facts;
  };
  return new Map(ns.links.map((l) => [l.name, factsOf(l)]));
}

/** IPv6 link-local addresses follow the MAC (EUI-64): a MAC change is reported once, as the MAC. */
const linkLocal6 = (address: string): boolean => /^fe[89ab][0-9a-f]:/i.test(address);

/** Routes as compared: the kernel's own route for a link-local address comes and goes with it. */
const comparedRoutes = (ns: NetnsInventory): string[] =>
  ns.routes.filter((r) => !(r.table === 'local' && linkLocal6(r.dst))).map(routeText);

const routeText = (r: Route): string =>
  [
    r.type === 'unicast' ? '' : r.type,
    r.dst,
    r.gateway ? `via ${r.gateway}` : '',
    r.dev ? `dev ${r.dev}` : '',
    r.table === 'main' ? '' : `table ${r.table}`,
  ]
    .filter(Boolean)
    .join(' ');

const tcText = (f: TcFilter): string =>
  `${f.dev} ${f.direction} ${f.kind}${f.matchesAll ? ' (all)' : ''} → ${f.actions
    .map((a) => ('targetDev' in a ? `${a.action} ${a.direction} to ${a.targetDev}` : a.kind))
    .join(', ')}`;

/** The neighbor's answer as the diff compares it: the MAC, or its state when it has none. */
const neighborText = (n: NetnsInventory['neighbors'][number]): string =>
  n.mac ? `lladdr ${n.mac}` : n.state.join(',');

/**
 * What changed between two snapshots, matched by names (host, netns, interface), not by ifindex:
 * a device that was deleted and created again with the same name is "changed", as people see it.
 * Findings are matched by rule and the names of what they concern.
 */
export function diffSnapshots(before: Analysis, after: Analysis): SnapshotDiff {
  const changes: Change[] = [];
  const hostsA = new Map(before.index.snapshot.hosts.map((h) => [h.name, h]));
  const hostsB = new Map(after.index.snapshot.hosts.map((h) => [h.name, h]));
  const sides = { a: before.index, b: after.index };
  for (const [name, a] of hostsA) {
    const b = hostsB.get(name);
    if (!b) changes.push({ change: 'removed', what: 'host', where: name });
    else diffHost(a, b, sides, changes);
  }
  for (const name of hostsB.keys()) {
    if (!hostsA.has(name)) changes.push({ change: 'added', what: 'host', where: name, element: hostId(name) });
  }
  const keyA = findingKeys(before);
  const keyB = findingKeys(after);
  const inB = new Set(keyB.keys());
  const inA = new Set(keyA.keys());
  return {
    a: before.index.snapshot.id,
    b: after.index.snapshot.id,
    changes,
    findings: {
      resolved: [...keyA].filter(([k]) => !inB.has(k)).map(([, f]) => f),
      added: [...keyB].filter(([k]) => !inA.has(k)).map(([, f]) => f),
      unchanged: [...keyA.keys()].filter((k) => inB.has(k)).length,
    },
  };
}

/** The two snapshots' indexes, for what a namespace's own inventory does not name (a veth's peer). */
interface Sides {
  readonly a: SnapshotIndex;
  readonly b: SnapshotIndex;
}

function diffHost(a: HostInventory, b: HostInventory, sides: Sides, out: Change[]): void {
  const nsA = new Map(a.namespaces.map((n) => [n.name, n]));
  const nsB = new Map(b.namespaces.map((n) => [n.name, n]));
  for (const [name, na] of nsA) {
    const ref = { host: a.name, netns: name };
    const nb = nsB.get(name);
    if (!nb) out.push({ change: 'removed', what: 'netns', where: netnsPath(ref), element: hostId(b.name) });
    else diffNetns(ref, na, nb, sides, out);
  }
  for (const [name] of nsB) {
    const ref = { host: b.name, netns: name };
    if (!nsA.has(name)) out.push({ change: 'added', what: 'netns', where: netnsPath(ref), element: netnsId(ref) });
  }
}

function diffNetns(
  ref: { host: string; netns: string | null },
  a: NetnsInventory,
  b: NetnsInventory,
  sides: Sides,
  out: Change[],
): void {
  const where = netnsPath(ref);
  const nsElement = netnsId(ref);
  const linksA = new Map(a.links.map((l) => [l.name, l]));
  const linksB = new Map(b.links.map((l) => [l.name, l]));
  const factsA = linkFacts(sides.a, a);
  const factsB = linkFacts(sides.b, b);
  for (const name of linksA.keys()) {
    const lb = linksB.get(name);
    if (!lb) {
      out.push({ change: 'removed', what: 'interface', where: `${where}/${name}`, element: nsElement });
      continue;
    }
    const element = interfaceId({ ...ref, ifindex: lb.ifindex });
    const recreated = linksA.get(name)?.ifindex !== lb.ifindex ? { recreated: true as const } : {};
    const fa = factsA.get(name) ?? {};
    const fb = factsB.get(name) ?? {};
    for (const field of new Set([...Object.keys(fa), ...Object.keys(fb)])) {
      const before = fa[field] ?? '';
      const after = fb[field] ?? '';
      if (before !== after)
        out.push({
          change: 'changed',
          what: 'interface',
          where: `${where}/${name}`,
          element,
          field,
          before,
          after,
          ...recreated,
        });
    }
  }
  for (const [name, lb] of linksB) {
    if (!linksA.has(name))
      out.push({
        change: 'added',
        what: 'interface',
        where: `${where}/${name}`,
        element: interfaceId({ ...ref, ifindex: lb.ifindex }),
      });
  }
  setDiff('route', where, nsElement, comparedRoutes(a), comparedRoutes(b), out);
  setDiff('tc', where, nsElement, a.tcFilters.map(tcText), b.tcFilters.map(tcText), out);
  const neighA = new Map(a.neighbors.map((n) => [`${n.ip} dev ${n.dev}`, neighborText(n)]));
  const neighB = new Map(b.neighbors.map((n) => [`${n.ip} dev ${n.dev}`, neighborText(n)]));
  for (const [key, before] of neighA) {
    const after = neighB.get(key);
    if (after === undefined)
      out.push({ change: 'removed', what: 'neighbor', where, element: nsElement, before: `${key} ${before}` });
    else if (after !== before)
      out.push({ change: 'changed', what: 'neighbor', where, element: nsElement, field: key, before, after });
  }
  for (const [key, after] of neighB) {
    if (!neighA.has(key))
      out.push({ change: 'added', what: 'neighbor', where, element: nsElement, after: `${key} ${after}` });
  }
}

function setDiff(
  what: 'route' | 'tc',
  where: string,
  element: string,
  a: readonly string[],
  b: readonly string[],
  out: Change[],
): void {
  const sa = new Set(a);
  const sb = new Set(b);
  for (const x of sa) if (!sb.has(x)) out.push({ change: 'removed', what, where, element, before: x });
  for (const x of sb) if (!sa.has(x)) out.push({ change: 'added', what, where, element, after: x });
}
