import { netnsPath } from '../ids.ts';
import { ipIn } from '../fix/commands.ts';
import type { Finding } from '../schema/finding.ts';
import { refusedSources } from '../topology/sourceChecks.ts';
import { where } from './linkFacts.ts';
import type { Rule } from './rule.ts';

/**
 * A namespace holds, itself, the address its clients send from: the kernel drops every packet from
 * that address arriving at the gateway device as a martian source (IP_LOCAL_SOURCE), unless
 * accept_local is on. The fix removes the gateway's copy of the address.
 */
export const sourceIsLocal: Rule = {
  id: 'source-is-local',
  run(index) {
    const seen = new Set<string>();
    const findings: Finding[] = [];
    for (const r of refusedSources(index)) {
      if (r.verdict.dropReason !== 'IP_LOCAL_SOURCE') continue;
      const sender = r.client ?? r.sender;
      const key = `${r.at.id}|${r.src}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const copy = r.at.netns.ns.addresses.find((a) => a.address === r.src);
      const holder = copy && r.at.netns.linksByIndex.get(copy.ifindex);
      const senderDev = r.client ? undefined : r.out;
      findings.push({
        rule: this.id,
        severity: 'critical',
        subjects: [
          r.at.id,
          ...(senderDev
            ? [senderDev.id]
            : index
                .withIp(r.src)
                .filter((le) => le.netns === sender)
                .map((le) => le.id)),
        ],
        message: `${netnsPath(r.at.netns.ref)} holds ${r.src}${holder ? ` on ${holder.link.name}` : ''} itself, and ${netnsPath(sender.ref)} sends from it: ${where(r.at)} drops every such packet as a martian source`,
        evidence: { at: where(r.at), source: r.src, sender: netnsPath(sender.ref) },
        ...(copy && holder && holder !== r.at
          ? { fix: ipIn(r.at.netns.ns, ['addr', 'del', `${copy.address}/${copy.prefixlen}`, 'dev', holder.link.name]) }
          : {}),
      });
    }
    return findings;
  },
};
