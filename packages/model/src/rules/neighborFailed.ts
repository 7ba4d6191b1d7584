import { netnsPath } from '../ids.ts';
import type { Finding } from '../schema/finding.ts';
import type { Neighbor } from '../schema/inventory.ts';
import { where } from './linkFacts.ts';
import type { Rule } from './rule.ts';

/**
 * A FAILED or INCOMPLETE neighbour entry is ARP (or ND) that got no answer. For a gateway or a pod
 * that means the traffic to it is being dropped right now; for an address nobody holds any more it
 * is only a trace of the past.
 */
const isFailed = (n: Neighbor): boolean => n.state.includes('FAILED') || n.state.includes('INCOMPLETE');

export const neighborFailed: Rule = {
  id: 'neighbor-failed',
  run(index) {
    const podIps = new Map<string, string>();
    for (const p of index.snapshot.pods) for (const ip of p.ips) podIps.set(ip, `${p.namespace}/${p.name}`);
    const findings: Finding[] = [];
    for (const ns of index.namespaces) {
      if (!ns.ns.neighbors.some(isFailed)) continue;
      const failed = ns.ns.neighbors.filter(isFailed);
      const gateways = new Set(ns.ns.routes.flatMap((r) => (r.gateway ? [r.gateway] : [])));
      for (const n of failed) {
        const le = index.linkByName(ns.ref, n.dev);
        const role = gateways.has(n.ip) ? 'gateway' : podIps.has(n.ip) ? `pod ${podIps.get(n.ip)}` : undefined;
        const state = n.state.join(',');
        findings.push({
          rule: this.id,
          severity: role ? 'critical' : 'info',
          subjects: le ? [le.id] : [],
          message: role
            ? `${netnsPath(ns.ref)} cannot resolve ${n.ip}, its ${role}, on ${n.dev} (${state}): nobody answers ARP for it there, so traffic to it is dropped`
            : `${netnsPath(ns.ref)} has a ${state} neighbour entry for ${n.ip} on ${n.dev}; no route or pod uses that address`,
          evidence: { netns: netnsPath(ns.ref), ip: n.ip, dev: n.dev, state, ...(le ? { interface: where(le) } : {}) },
        });
      }
    }
    return findings;
  },
};
