import { netnsPath } from '../ids.ts';
import type { Finding } from '../schema/finding.ts';
import type { Neighbor } from '../schema/inventory.ts';
import type { Pod } from '../schema/snapshot.ts';
import { where } from './linkFacts.ts';
import type { Rule } from './rule.ts';
import { BROADCAST_MAC } from '../trace/packet.ts';
import { Walk } from '../trace/walk.ts';
import type { LinkEntry, SnapshotIndex } from '../topology/snapshotIndex.ts';

/** What ARP for an address gets now: the MAC that answers, nobody, or why that cannot be told. */
type ArpNow = { readonly answer: string } | 'nobody' | { readonly untold: string };

/**
 * Who would answer ARP for `ip` on `le` now. The kernel asks again when traffic meets a FAILED
 * entry, so an entry whose address answers today is only a trace of the past. What hoplens cannot
 * ask (neighbour discovery, a device not in the snapshot) or a walk it cannot finish (a namespace on
 * the way not collected, a classifier it cannot evaluate) is untold, never "nobody".
 */
function arpNow(index: SnapshotIndex, le: LinkEntry | undefined, ip: string): ArpNow {
  if (ip.includes(':')) return { untold: 'hoplens does not ask neighbour discovery (IPv6) again' };
  if (!le) return { untold: 'the device is not in the snapshot' };
  if (!le.link.adminUp) return 'nobody';
  const reply = new Walk(index, 'request', true).transmit(le, {
    srcMac: le.link.mac,
    dstMac: BROADCAST_MAC,
    packet: { kind: 'arp', src: undefined, dst: ip },
  });
  if (reply.verdict === 'unknown')
    return { untold: 'the way there leaves what was collected, or passes what hoplens cannot evaluate' };
  return reply.verdict === 'delivered' && reply.mac ? { answer: reply.mac } : 'nobody';
}

/**
 * A FAILED or INCOMPLETE neighbour entry is ARP (or ND) that got no answer. For a gateway or a pod
 * that means the traffic to it is being dropped right now; for an address nobody holds any more it
 * is only a trace of the past.
 */
const isFailed = (n: Neighbor): boolean => n.state.includes('FAILED') || n.state.includes('INCOMPLETE');

function podsByIp(pods: readonly Pod[]): Map<string, string> {
  const byIp = new Map<string, string>();
  for (const p of pods) for (const ip of p.ips) byIp.set(ip, `${p.namespace}/${p.name}`);
  return byIp;
}

export const neighborFailed: Rule = {
  id: 'neighbor-failed',
  run(index) {
    // Made at the first failed entry: most snapshots have none, and naming 10⁵ pods takes ~0.3 s.
    let podIps: Map<string, string> | undefined;
    const findings: Finding[] = [];
    for (const ns of index.namespaces) {
      if (!ns.ns.neighbors.some(isFailed)) continue;
      const pods = (podIps ??= podsByIp(index.snapshot.pods));
      const failed = ns.ns.neighbors.filter(isFailed);
      // An entry matters only on the device the namespace reaches that address by.
      const gateways = new Set(ns.ns.routes.flatMap((r) => (r.gateway ? [`${r.dev ?? ''}|${r.gateway}`] : [])));
      const reachedBy = (ip: string): string | undefined => {
        const m = index.routes(ns).lookup(ip);
        return m?.kind === 'route' ? m.route.dev : undefined;
      };
      for (const n of failed) {
        const le = index.linkByName(ns.ref, n.dev);
        const role = gateways.has(`${n.dev}|${n.ip}`)
          ? 'gateway'
          : pods.has(n.ip) && reachedBy(n.ip) === n.dev
            ? `pod ${pods.get(n.ip)}`
            : undefined;
        const state = n.state.join(',');
        const asked = role ? arpNow(index, le, n.ip) : undefined;
        const now = typeof asked === 'object' && 'answer' in asked ? asked.answer : undefined;
        const untold = typeof asked === 'object' && 'untold' in asked ? asked.untold : undefined;
        findings.push({
          rule: this.id,
          severity: !role || now ? 'info' : untold ? 'warning' : 'critical',
          subjects: le ? [le.id] : [],
          message: !role
            ? `${netnsPath(ns.ref)} has a ${state} neighbour entry for ${n.ip} on ${n.dev}; no route or pod uses that address there`
            : now
              ? `${netnsPath(ns.ref)} once failed to resolve ${n.ip}, its ${role}, on ${n.dev} (${state}); ${now} answers ARP for it now, and the kernel asks again on the next packet`
              : untold
                ? `${netnsPath(ns.ref)} got no answer when it resolved ${n.ip}, its ${role}, on ${n.dev} (${state}); the kernel asks again at the next packet, and whether anyone answers now is unknown: ${untold}`
                : `${netnsPath(ns.ref)} cannot resolve ${n.ip}, its ${role}, on ${n.dev} (${state}): nobody answers ARP for it there, so traffic to it is dropped`,
          evidence: {
            netns: netnsPath(ns.ref),
            ip: n.ip,
            dev: n.dev,
            state,
            ...(le ? { interface: where(le) } : {}),
            ...(now ? { answeredBy: now } : {}),
          },
        });
      }
    }
    return findings;
  },
};
