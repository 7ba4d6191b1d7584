import type { OffPathTarget, ProbeTarget } from '../schema/probe.ts';
import type { TraceResult } from '../schema/trace.ts';
import type { SnapshotIndex } from '../topology/snapshotIndex.ts';

/** A bridge with more ports than this is not followed past a flood: the probe watches a path, not a node. */
const MAX_FLOOD_PORTS = 16;

/** The interfaces of a predicted path, each once, in path order: where a probe looks for its packets. */
export function probeTargets(predicted: TraceResult): ProbeTarget[] {
  const seen = new Set<string>();
  const out: ProbeTarget[] = [];
  for (const h of predicted.hops) {
    if (h.interface === null) continue;
    const key = `${h.host}\0${h.netns ?? ''}\0${h.interface}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ host: h.host, netns: h.netns, interface: h.interface });
  }
  return out;
}

/**
 * Where a packet goes right after the predicted drop when the trace stops at a bridge that floods
 * a frame no port claims: every port, and the veth peer behind each, which is where the kernel
 * drops the copies (PACKET_OTHERHOST). Bounded for bridges with many ports.
 */
export function offPathTargets(predicted: TraceResult, index: SnapshotIndex): OffPathTarget[] {
  const at = predicted.hops.findIndex((h) => h.verdict !== 'ok');
  const hop = predicted.hops[at];
  if (!hop || hop.component !== 'bridge' || hop.interface === null) return [];
  const bridge = index.linkByName({ host: hop.host, netns: hop.netns }, hop.interface);
  if (!bridge) return [];
  const ports = index.portsOf(bridge);
  if (ports.length > MAX_FLOOD_PORTS) return [];
  const out: OffPathTarget[] = [];
  for (const port of ports) {
    out.push({ host: port.ref.host, netns: port.ref.netns, interface: port.link.name, after: at });
    const peer = port.link.peer && index.link(port.link.peer);
    if (peer) out.push({ host: peer.ref.host, netns: peer.ref.netns, interface: peer.link.name, after: at });
  }
  return out;
}

/** Every interface a probe watches: the path's, then those just past its drop, each once. */
export function watchList(predicted: TraceResult, offPath: readonly OffPathTarget[]): ProbeTarget[] {
  const out = probeTargets(predicted);
  const key = (t: ProbeTarget): string => `${t.host}\0${t.netns ?? ''}\0${t.interface}`;
  const seen = new Set(out.map(key));
  for (const o of offPath) {
    const t: ProbeTarget = { host: o.host, netns: o.netns, interface: o.interface };
    if (seen.has(key(t))) continue;
    seen.add(key(t));
    out.push(t);
  }
  return out;
}
