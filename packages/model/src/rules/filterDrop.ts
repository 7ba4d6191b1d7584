import { netnsId, netnsPath } from '../ids.ts';
import type { Finding } from '../schema/finding.ts';
import { podFilterStops, stopKey, tunnelFilterStops, type FilterStop } from './filterStops.ts';
import type { Rule } from './rule.ts';

/**
 * A packet filter on a pod's path drops or rejects its traffic: a netfilter rule or chain policy
 * (nftables, iptables of either backend) or a tc filter, found by tracing the pod's paths. Names
 * the namespace, table, chain, rule (text, handle, comment), its packet counter and the command
 * that lists it. Rules that stop a tunnel's own packets are tunnel-port-blocked's.
 */
export const filterDrop: Rule = {
  id: 'filter-drop',
  run(index) {
    const tunnel = new Set(tunnelFilterStops(index).map(stopKey));
    return podFilterStops(index)
      .stops.filter((s) => s.verdict === 'dropped' && !tunnel.has(stopKey(s)))
      .map((s): Finding => ({
        rule: this.id,
        severity: 'critical',
        subjects: [netnsId(s.ns.ref)],
        message: `${describeStop(s)} drops traffic on a pod's path (${s.flow})`,
        evidence: stopEvidence(s),
      }));
  },
};

/** `iptables-nft filter INPUT rule 1 \`-A INPUT …\` in host/netns (comment "…", 3 packets counted)`. */
export function describeStop(s: FilterStop): string {
  const r = s.rule;
  const what =
    r.backend === 'tc'
      ? `tc ${r.family} filter pref ${r.handle ?? '?'} on ${r.table}`
      : `${r.backend} ${r.backend === 'nftables' ? `${r.family} ` : ''}${r.table} ${r.chain} ${r.handle === undefined ? 'policy' : r.backend === 'nftables' ? `rule handle ${r.handle}` : `rule ${r.handle}`}`;
  const extras = [
    r.comment === undefined ? '' : `comment ${JSON.stringify(r.comment)}`,
    r.packets === undefined ? '' : `${r.packets} packets counted`,
  ]
    .filter(Boolean)
    .join(', ');
  return `${what} \`${r.text}\` in ${netnsPath(s.ns.ref)}${extras ? ` (${extras})` : ''}`;
}

export function stopEvidence(s: FilterStop): Record<string, string> {
  const r = s.rule;
  return {
    netns: netnsPath(s.ns.ref),
    backend: r.backend,
    family: r.family,
    table: r.table,
    chain: r.chain,
    ...(r.handle === undefined ? {} : { handle: String(r.handle) }),
    rule: r.text,
    ...(r.comment === undefined ? {} : { comment: r.comment }),
    ...(r.packets === undefined ? {} : { packets: String(r.packets) }),
    list: r.command,
    flow: s.flow,
    reason: s.reason,
  };
}
