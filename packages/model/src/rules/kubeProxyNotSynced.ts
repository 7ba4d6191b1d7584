import { netnsId, netnsPath } from '../ids.ts';
import { apiEndpoints, apiServicePorts } from '../kube/kubeApiServices.ts';
import { kubeProxyEndpoints } from '../kube/kubeProxyEndpoints.ts';
import type { Finding } from '../schema/finding.ts';
import type { Rule } from './rule.ts';

/** Differences named in one finding at most (a node far behind differs on every Service). */
const MAX_NAMED = 10;

/**
 * kube-proxy's rules on a node disagree with the Kubernetes API: an EndpointSlice lists a ready
 * endpoint the node's rules do not DNAT to (new pods get no traffic from this node), or the rules
 * still DNAT to an endpoint no slice lists (connections go to a pod that is gone). kube-proxy is
 * not synced: it is down, stuck, or cannot reach the API server. Only where the snapshot has both
 * the API's Services and the node's kube-proxy rules (iptables or nftables mode); a Service the
 * node does not program at all counts too. Where a Local traffic policy leaves the node only its
 * own endpoints, only endpoints no slice lists are named; and those only where no object of the
 * API was left out (`skipped`).
 */
export const kubeProxyNotSynced: Rule = {
  id: 'kube-proxy-not-synced',
  run(index) {
    const kube = index.snapshot.kubernetes;
    if (!kube) return [];
    const ports = apiServicePorts(kube);
    const findings: Finding[] = [];
    for (const ns of index.namespaces) {
      const programmed = kubeProxyEndpoints(ns);
      if (programmed.size === 0) continue;
      const diffs: string[] = [];
      for (const port of ports) {
        const want = apiEndpoints(kube, port);
        const have = programmed.get(port.key);
        if (!have) {
          diffs.push(`${port.key} has no rules on this node${want.size > 0 ? ` (${want.size} ready endpoints)` : ''}`);
          continue;
        }
        // A Local policy's rules hold this node's endpoints only: the others are rightly absent.
        if (have.complete)
          for (const e of want)
            if (!have.endpoints.has(e)) diffs.push(`${port.key}: endpoint ${e} is ready but has no rule`);
        // With objects of the API left out (past the bound, or not valid), a slice listing it may be
        // among them: that no slice lists an endpoint is then not known.
        if (kube.skipped === 0)
          for (const e of have.endpoints)
            if (!want.has(e)) diffs.push(`${port.key}: the rules still DNAT to ${e}, which no EndpointSlice lists`);
      }
      if (diffs.length === 0) continue;
      const named = diffs.slice(0, MAX_NAMED).join('; ');
      const more = diffs.length > MAX_NAMED ? `; and ${diffs.length - MAX_NAMED} more` : '';
      findings.push({
        rule: this.id,
        severity: 'warning',
        subjects: [netnsId(ns.ref)],
        message: `kube-proxy on ${netnsPath(ns.ref)} is not synced with the Kubernetes API: ${named}${more}`,
        evidence: { netns: netnsPath(ns.ref), differences: String(diffs.length) },
      });
    }
    return findings;
  },
};
