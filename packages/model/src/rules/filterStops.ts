import { netnsId } from '../ids.ts';
import type { Hop, HopRule } from '../schema/trace.ts';
import type { Pod } from '../schema/snapshot.ts';
import { podKey, podTraceEndpoints } from '../trace/podTrace.ts';
import { vxlanPacket } from '../trace/packet.ts';
import { trace } from '../trace/trace.ts';
import { Walk } from '../trace/walk.ts';
import type { LinkEntry, NetnsEntry, SnapshotIndex } from '../topology/snapshotIndex.ts';
import { tunnelPeer } from '../topology/tunnelPeer.ts';

/** A filter rule that stopped a packet on a path: where, which rule, and which flow showed it. */
export interface FilterStop {
  readonly ns: NetnsEntry;
  readonly rule: HopRule;
  readonly verdict: 'dropped' | 'unknown';
  readonly reason: string;
  /** The flow that met it (`worker/… → 10.132.2.46, reply`). */
  readonly flow: string;
  /** The tunnel whose outer packets it stopped, for those found on a tunnel's own path. */
  readonly tunnel?: LinkEntry;
}

/** Pods whose paths are traced at most: beyond, the rule says how many it checked. */
export const MAX_POD_TRACES = 3000;

/** A rule by where it lives, so one rule met by many flows is reported once. */
export const stopKey = (s: FilterStop): string =>
  `${netnsId(s.ns.ref)}|${s.rule.backend}|${s.rule.family}|${s.rule.table}|${s.rule.chain}|${s.rule.handle ?? 'policy'}`;

/**
 * The filter rules that stop pod traffic: for every pod on a host with packet filters, its
 * default path (from its node to it) and its way to another pod on the same node and on another
 * node, request and reply, traced. Computed once per snapshot; a snapshot without filters costs a
 * scan of its namespaces.
 */
export function podFilterStops(index: SnapshotIndex): {
  stops: readonly FilterStop[];
  traced: number;
  candidates: number;
} {
  return index.derive(computePodStops);
}

function computePodStops(index: SnapshotIndex): { stops: FilterStop[]; traced: number; candidates: number } {
  const filtered = new Set<string>();
  for (const ns of index.namespaces) if (hasFilters(ns)) filtered.add(ns.ref.host);
  if (filtered.size === 0) return { stops: [], traced: 0, candidates: 0 };
  const pods = index.snapshot.pods.filter((p) => p.netns.some((r) => filtered.has(r.host)));
  const nodeOf = (p: Pod): string | undefined => p.node ?? p.netns[0]?.host;
  const stops = new Map<string, FilterStop>();
  let traced = 0;
  for (const pod of pods.slice(0, MAX_POD_TRACES)) {
    traced++;
    const key = podKey(pod);
    const node = nodeOf(pod);
    const sameNode = index.snapshot.pods.find((p) => p !== pod && nodeOf(p) === node && p.ips.length > 0);
    const otherNode = index.snapshot.pods.find((p) => nodeOf(p) !== node && p.ips.length > 0);
    const flows = [
      { to: 'node' },
      ...(sameNode?.ips[0] ? [{ to: sameNode.ips[0] }] : []),
      ...(otherNode?.ips[0] ? [{ to: otherNode.ips[0] }] : []),
    ];
    for (const f of flows) {
      let ends;
      try {
        ends = podTraceEndpoints(index, key, f.to);
      } catch {
        continue;
      }
      const result = trace(index, ends.from, ends.to);
      collect(index, result.hops, `${ends.from.host}/${ends.from.netns ?? '(root)'} → ${ends.to}`, stops);
    }
  }
  return { stops: [...stops.values()], traced, candidates: pods.length };
}

/** Does a namespace have filters that can stop a packet: firewall rules or policies, or tc filters beyond match-all redirects. */
function hasFilters(ns: NetnsEntry): boolean {
  const fw = ns.ns.firewall;
  if (
    fw &&
    (fw.nftables.some((t) => t.rules.length > 0 || t.chains.some((c) => c.policy === 'drop')) ||
      fw.iptables.some((t) => t.rules.length > 0 || t.chains.some((c) => c.policy === 'DROP')) ||
      fw.gaps.length > 0)
  ) {
    return true;
  }
  return ns.ns.tcFilters.some((f) => !f.matchesAll && f.actions.length + (f.classifier?.kind === 'bpf' ? 1 : 0) > 0);
}

function collect(
  index: SnapshotIndex,
  hops: readonly Hop[],
  flow: string,
  into: Map<string, FilterStop>,
  tunnel?: LinkEntry,
): void {
  for (const h of hops) {
    if (!h.rule || h.verdict === 'ok') continue;
    const ns = index.netns({ host: h.rule.host, netns: h.rule.netns });
    if (!ns) continue;
    const stop: FilterStop = {
      ns,
      rule: h.rule,
      verdict: h.verdict,
      reason: h.reason,
      flow: `${flow}${h.direction === 'reply' ? ', reply' : ''}`,
      ...(tunnel ? { tunnel } : {}),
    };
    if (!into.has(stopKey(stop))) into.set(stopKey(stop), stop);
  }
}

/**
 * The filter rules that stop a tunnel's own packets: for each VXLAN end with a partner, its UDP
 * packet from the socket's namespace to the remote, up to the partner's socket (whatever it
 * carries, the underlay's filters see only UDP to the tunnel port).
 */
export function tunnelFilterStops(index: SnapshotIndex): readonly FilterStop[] {
  return index.derive(computeTunnelStops);
}

function computeTunnelStops(index: SnapshotIndex): FilterStop[] {
  const filtered = new Set<string>();
  for (const ns of index.namespaces) if (hasFilters(ns)) filtered.add(ns.ref.host);
  const stops = new Map<string, FilterStop>();
  if (filtered.size === 0) return [];
  for (const end of index.vxlans) {
    const vx = end.link.vxlan;
    const socket = vx?.socketNetns && index.netns(vx.socketNetns);
    const peer = tunnelPeer(index, end);
    if (!vx?.remote || !socket || peer.status !== 'ok') continue;
    if (!filtered.has(socket.ref.host) && !filtered.has(peer.remoteOwner.ref.host)) continue;
    const w = new Walk(index, 'request');
    // The inner frame is for nobody: once decapsulated it goes no further.
    const inner = {
      srcMac: null,
      dstMac: '00:00:00:00:00:00',
      packet: { kind: 'arp' as const, src: undefined, dst: '0.0.0.0' },
    };
    w.ipOutput(socket, vxlanPacket({ src: vx.local, dst: vx.remote, port: vx.port, vni: vx.vni, inner }));
    const decap = w.hops.findIndex((h) => h.component === 'vxlan-decap');
    const outer = decap < 0 ? w.hops : w.hops.slice(0, decap);
    collect(index, outer, `tunnel ${end.link.name} (VNI ${vx.vni}) → ${vx.remote}:${vx.port}`, stops, end);
  }
  return [...stops.values()];
}
