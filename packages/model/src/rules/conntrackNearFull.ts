import { netnsId, netnsPath } from '../ids.ts';
import type { Finding } from '../schema/finding.ts';
import type { Rule } from './rule.ts';

/** From this share of nf_conntrack_max on, a namespace's table is near full. */
export const NEAR_FULL = 0.9;

/**
 * A conntrack table near or at its limit: at the limit the kernel drops every packet that would open
 * a connection (a new pod flow, a new tunnel packet from an untracked peer), logging "nf_conntrack:
 * table full, dropping packet". The count is per namespace, the limit global — it can only be
 * raised in the host's initial namespace, which is what the fix does (to twice the current one).
 */
export const conntrackNearFull: Rule = {
  id: 'conntrack-near-full',
  run(index) {
    const findings: Finding[] = [];
    for (const ns of index.namespaces) {
      const count = ns.ns.sysctls?.conntrackCount;
      const max = ns.ns.sysctls?.conntrackMax;
      if (count === undefined || max === undefined || max <= 0 || count < NEAR_FULL * max) continue;
      const full = count >= max;
      findings.push({
        rule: this.id,
        severity: full ? 'critical' : 'warning',
        subjects: [netnsId(ns.ref)],
        message: `${netnsPath(ns.ref)} tracks ${count} connections of nf_conntrack_max ${max}${full ? ': the table is full, and every new connection is dropped' : `: past ${NEAR_FULL * 100}%, new connections will soon be dropped`}`,
        evidence: { netns: netnsPath(ns.ref), count: String(count), max: String(max) },
        // nf_conntrack_max is read-only inside a namespace: raise it on the host itself.
        fix: `sysctl -w net.netfilter.nf_conntrack_max=${max * 2}`,
      });
    }
    return findings;
  },
};
