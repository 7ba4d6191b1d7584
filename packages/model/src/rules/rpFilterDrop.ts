import { linkPath, netnsPath } from '../ids.ts';
import { commandIn } from '../fix/commands.ts';
import type { Finding } from '../schema/finding.ts';
import { refusedSources, type RefusedSource } from '../topology/sourceChecks.ts';
import { where } from './linkFacts.ts';
import type { Rule } from './rule.ts';

/**
 * Reverse-path filtering that drops traffic a namespace is sent: a route sends packets from a
 * source to a gateway's device, and the gateway's route back to that source leaves by another
 * device (strict rp_filter), or there is none (loose). Names the route that makes the path
 * asymmetric; the fix loosens the filter on that device, which keeps the check against sources with
 * no route back at all.
 */
export const rpFilterDrop: Rule = {
  id: 'rp-filter-drop',
  run(index) {
    const groups = new Map<string, RefusedSource[]>();
    for (const r of refusedSources(index)) {
      if (r.verdict.dropReason !== 'IP_RPFILTER') continue;
      const key = `${r.at.id}|${r.out.id}|${r.route.dst}`;
      groups.set(key, [...(groups.get(key) ?? []), r]);
    }
    return [...groups.values()].map((all): Finding => {
      const r = all[0]!;
      const route = `${r.route.dst} via ${r.route.gateway} dev ${r.out.link.name}`;
      const from = all
        .slice(0, 3)
        .map((x) => `${x.src}${x.client ? ` (${netnsPath(x.client.ref)})` : ''}`)
        .join(', ');
      const noRoute = r.verdict.reason.includes('no route back');
      return {
        rule: this.id,
        severity: 'critical',
        subjects: [r.at.id, r.out.id],
        message: `${where(r.at)} drops what ${netnsPath(r.sender.ref)} sends it by the route ${route}, from ${from}${all.length > 3 ? ` and ${all.length - 3} more` : ''}: ${r.verdict.reason}`,
        evidence: {
          at: where(r.at),
          route: `${linkPath(r.sender.ref, r.out.link.name)}: ${route}`,
          sources: String(all.length),
        },
        ...(noRoute
          ? {}
          : { fix: commandIn(r.at.netns.ns, ['sysctl', '-w', `net.ipv4.conf.${r.at.link.name}.rp_filter=2`]) }),
      };
    });
  },
};
