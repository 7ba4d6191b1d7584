import type { Finding } from '../schema/finding.ts';
import { sameDomain } from '../topology/l2Domains.ts';
import { passThrough } from '../topology/passThrough.ts';
import { where } from './linkFacts.ts';
import type { Rule } from './rule.ts';

/**
 * Two endpoints in one layer-2 domain must not share a MAC: the bridge's forwarding table flaps
 * between them and frames go to the wrong one. Bridge ports (whose MAC the bridge borrows) and
 * pass-through devices are not endpoints.
 */
export const duplicateMac: Rule = {
  id: 'duplicate-mac',
  run(index) {
    const findings: Finding[] = [];
    const through = passThrough(index);
    for (const [mac, holders] of index.sharedMacs()) {
      if (mac === '00:00:00:00:00:00') continue;
      const endpoints = holders.filter((o) => o.link.masterIfindex === undefined && !through.has(o));
      for (const group of sameDomain(index, endpoints)) {
        findings.push({
          rule: this.id,
          severity: 'critical',
          subjects: group.map((o) => o.id),
          message: `${mac} is the MAC of ${group.length} interfaces on one layer-2 segment (${group.map(where).join(', ')}): frames for it reach only one of them`,
          evidence: { mac, holders: group.map(where).join(', ') },
        });
      }
    }
    return findings;
  },
};
