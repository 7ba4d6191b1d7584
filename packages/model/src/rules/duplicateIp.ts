import type { Finding } from '../schema/finding.ts';
import { sameDomain } from '../topology/l2Domains.ts';
import { passThrough } from '../topology/passThrough.ts';
import type { LinkEntry } from '../topology/snapshotIndex.ts';
import { where } from './linkFacts.ts';
import type { Rule } from './rule.ts';

/**
 * Two interfaces in one layer-2 domain must not hold the same address: ARP gets two answers and
 * traffic goes to whichever answered last. A peer pod's worker-side eth0 is exempt: tc passes its
 * frames on, and the pod VM's interface rightly holds the same IP.
 */
export const duplicateIp: Rule = {
  id: 'duplicate-ip',
  run(index) {
    const findings: Finding[] = [];
    const through = passThrough(index);
    for (const [ip, all] of index.sharedIps()) {
      const holders = all.filter((le) => le.link.kind !== 'loopback' && !through.has(le) && isGlobal(le, ip));
      for (const group of sameDomain(index, holders)) {
        findings.push({
          rule: this.id,
          severity: 'critical',
          subjects: group.map((le) => le.id),
          message: `${ip} is held by ${group.length} interfaces on one layer-2 segment (${group.map(where).join(', ')}): ARP answers race and traffic reaches whichever answered last`,
          evidence: { ip, holders: group.map(where).join(', ') },
        });
      }
    }
    return findings;
  },
};

const isGlobal = (le: LinkEntry, ip: string): boolean =>
  le.netns.ns.addresses.some((a) => a.address === ip && a.ifindex === le.link.ifindex && a.scope === 'global');
