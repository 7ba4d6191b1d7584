import { afterAll, describe, expect, it } from 'vitest';
import { collectLocal } from '@hoplens/collector';
import { canBuildNetns } from '@hoplens/collector/testing';
import type { HostInventory } from '@hoplens/model';
import { labDown, labUp } from '../src/index.ts';
import { newLabPrefix } from '../src/prefix.ts';

const prefixes: string[] = [];
const seen = new Set<string>();

/** Order-free, time-free view of an inventory: what both backends must agree on. */
function comparable(hosts: HostInventory[]): unknown {
  const canon = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canon).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.entries(v)
          .sort()
          .map(([k, x]) => [k, canon(x)]),
      );
    return v;
  };
  return canon(
    hosts.map((h) => ({
      ...h,
      collectedAt: undefined,
      namespaces: h.namespaces.map((ns) => ({
        ...ns,
        raw: undefined,
        // Learnt entries come and go with traffic between the two collections: compare the configured ones.
        fdb: ns.fdb?.filter((e) => e.state === 'permanent' || e.state === 'static'),
        // Learnt neighbour entries change state with traffic (REACHABLE, STALE, DELAY), and IPv6
        // link-local ones appear as neighbour discovery runs, between the two collections:
        // configured entries are compared whole, learnt ones without their state.
        neighbors: ns.neighbors
          .filter((n) => !n.ip.startsWith('fe80:'))
          .map((n) => (n.state.some((s) => s === 'PERMANENT' || s === 'NOARP') ? n : { ...n, state: ['learnt'] })),
        // Counters move between the two collections too.
        links: ns.links.map(({ stats: _stats, ...l }) => l),
        // A link-local v6 address (and its local route) appears when duplicate address detection
        // ends, which may fall between the two collections.
        addresses: ns.addresses.filter((x) => !x.address.startsWith('fe80:')),
        routes: ns.routes.filter((r) => !(r.table === 'local' && r.dst.startsWith('fe80:'))),
        // So does the number of conntrack entries, and with it whether nf_conntrack_max weighs
        // (read only where entries are: conntrack.netns.test.ts checks both backends do so).
        sysctls: ns.sysctls && { ...ns.sysctls, conntrackCount: undefined, conntrackMax: undefined },
        // Unreplied UDP entries appear with traffic (a tunnel's neighbour solicitation) and expire
        // after 30 s: both backends must read them, the entries themselves may differ.
        conntrackUnreplied: ns.conntrackUnreplied === undefined ? undefined : 'read',
        // And the packet counters of firewall rules (IPv6 autoconfiguration sends as it likes).
        firewall: withoutCounters(ns.firewall),
      })),
      // The switch's counters and the time of each answer move between the collections; the rest may not.
      ovs: h.ovs && {
        ...h.ovs,
        bridges: h.ovs.bridges.map((b) => ({ ...b, flows: b.flows.map(({ packets: _p, bytes: _b, ...f }) => f) })),
        traces: h.ovs.traces.map(({ answeredAt: _a, ...t }) => t),
      },
    })),
  );
}

/** A value with every `packets` and `bytes` counter left out, at any depth. */
function withoutCounters(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutCounters);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => k !== 'packets' && k !== 'bytes')
        .map(([k, x]) => [k, withoutCounters(x)]),
    );
  return v;
}

/**
 * The netlink helper decodes the kernel's own answers; `ip`, `tc` and `bridge` print the same
 * answers as text. Both must give the same inventory on real namespaces: links of every kind
 * built here (veth, bridge, vxlan with its socket in another namespace), v4 and v6 addresses and
 * routes of every table (with their own MTU, locked or not), policy rules, neighbours (proxy entries too), fdb, tc filters with their classifiers (u32 keys
 * and hash tables, classic BPF, an eBPF program) and mirred redirects, ip_forward, the sysctls, the
 * packet filters (nftables, iptables of both backends — iptables-nft decoded from the helper's
 * rule dump, or read by iptables-nft-save where that falls back — ipsets); and the same Open vSwitch section,
 * read from OVSDB and the switch by both.
 */
describe.skipIf(!canBuildNetns())('netlink and iproute2 collection agree', () => {
  afterAll(async () => {
    for (const p of prefixes) await labDown(p).catch(() => undefined);
  });

  it.each([
    ['seed', 'broken'],
    ['ovn-seed', 'broken'],
    ['bridged-nodes', 'ok'],
    ['bridged-nodes', 'policy-ok'],
    // 17 namespaces: the netlink helper dumps them in two processes, half each (fewer: one process).
    ['dense-node', '16'],
    ['peer-pod-filters', 'iptables-ok'],
    ['peer-pod-filters', 'notrack'],
    ['kube-service', 'ok'],
    ['peer-pod-filters', 'nft-tunnel-ok'],
    ['peer-pod-filters', 'legacy-tunnel-drop'],
    ['node-filters', 'u32-hash-drop'],
    ['node-filters', 'cbpf-drop'],
    ['node-filters', 'ebpf'],
    ['route-mtu', 'forward-lock'],
    ['arp', 'proxy-neigh'],
    ['bridged-nodes', 'policy-ipproto'],
  ])('%s --variant %s', async (scenario, variant) => {
    const prefix = newLabPrefix();
    prefixes.push(prefix);
    const plan = await labUp({ scenario, variant, prefix });
    const netlink = await collectLocal(plan.hostMap, { backend: 'netlink' });
    const iproute2 = await collectLocal(plan.hostMap, { backend: 'iproute2' });
    expect(netlink.flatMap((h) => h.errors)).toEqual([]);
    expect(iproute2.flatMap((h) => h.errors)).toEqual([]);
    const all = netlink.flatMap((h) => h.namespaces);
    if (all.some((ns) => ns.tcFilters.some((f) => f.actions.some((a) => a.kind === 'mirred')))) seen.add('mirred');
    if (all.some((ns) => (ns.fdb ?? []).some((e) => e.master !== undefined))) seen.add('bridge fdb');
    if (all.some((ns) => ns.links.some((l) => l.vxlan?.socketNetns))) seen.add('vxlan socket netns');
    if (all.some((ns) => ns.routes.some((r) => r.family === 'inet6'))) seen.add('v6 routes');
    if (all.some((ns) => ns.routes.some((r) => r.mtuLock && r.family === 'inet6'))) seen.add('route mtu lock');
    if (all.some((ns) => (ns.proxyNeighbors ?? []).length > 0)) seen.add('proxy neighbours');
    if (all.some((ns) => (ns.rules ?? []).some((r) => r.ipproto !== undefined))) seen.add('rule ipproto');
    if (all.some((ns) => ns.links.some((l) => l.kind === 'bridge'))) seen.add('bridge');
    if (all.some((ns) => (ns.rules ?? []).some((r) => r.src !== undefined))) seen.add('policy rules');
    if (all.every((ns) => (ns.sysctls?.devices.length ?? 0) > 0)) seen.add('sysctls');
    if (netlink.some((h) => (h.ovs?.traces.length ?? 0) > 0 && h.ovs?.bridges.some((b) => b.flows.length > 0)))
      seen.add('open vswitch');
    const fw = all.flatMap((ns) => (ns.firewall ? [ns.firewall] : []));
    if (fw.some((f) => f.nftables.some((t) => t.rules.length > 0))) seen.add('nftables');
    if (fw.some((f) => f.iptables.some((t) => t.backend === 'nft' && t.rules.length > 0))) seen.add('iptables-nft');
    if (fw.some((f) => f.iptables.some((t) => t.backend === 'legacy' && t.rules.length > 0)))
      seen.add('iptables-legacy');
    if (fw.some((f) => f.ipsets.length > 0)) seen.add('ipsets');
    // The helper's rule dump decoded (no iptables-nft-save ran for a namespace with iptables-nft rules).
    const overNetlink = netlink
      .flatMap((h) => h.namespaces)
      .some(
        (ns) =>
          ns.firewall?.iptables.some((t) => t.backend === 'nft' && t.family === 'ipv4' && t.rules.length > 0) &&
          !ns.raw.some((r) => r.command.includes('iptables-nft-save')),
      );
    if (overNetlink) seen.add('iptables-nft over netlink');
    const classifiers = all.flatMap((ns) => ns.tcFilters.map((f) => f.classifier));
    if (classifiers.some((c) => c?.kind === 'u32' && c.link !== undefined)) seen.add('u32 hash table');
    if (classifiers.some((c) => c?.kind === 'bpf' && c.ops)) seen.add('classic BPF');
    if (classifiers.some((c) => c?.kind === 'bpf' && c.progId !== undefined)) seen.add('eBPF');
    expect(comparable(netlink)).toEqual(comparable(iproute2));
    // Only the iproute2 backend has command text to keep.
    expect(iproute2.flatMap((h) => h.namespaces).every((ns) => ns.raw.length > 0)).toBe(true);
    await labDown(prefix);
  });

  // Not vacuous: across the scenarios, each kind of data was there to compare.
  it('compared tunnels, bridges, fdb, redirects, policy rules, proxy neighbours, route MTUs, v6, filters, classifiers and Open vSwitch', () => {
    expect([...seen].sort()).toEqual([
      'bridge',
      'bridge fdb',
      'classic BPF',
      'eBPF',
      'ipsets',
      'iptables-legacy',
      'iptables-nft',
      'iptables-nft over netlink',
      'mirred',
      'nftables',
      'open vswitch',
      'policy rules',
      'proxy neighbours',
      'route mtu lock',
      'rule ipproto',
      'sysctls',
      'u32 hash table',
      'v6 routes',
      'vxlan socket netns',
    ]);
  });
});
