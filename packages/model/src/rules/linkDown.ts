import { linkUpCommand } from '../fix/commands.ts';
import type { Finding } from '../schema/finding.ts';
import { isUsed, where } from './linkFacts.ts';
import type { Rule } from './rule.ts';

/**
 * A device on a path must be up and have a carrier: an administratively down device takes and
 * sends nothing, and one without carrier (its veth peer or cable gone) has nobody to talk to.
 */
export const linkDown: Rule = {
  id: 'link-down',
  run(index) {
    const findings: Finding[] = [];
    for (const le of index.downLinks) {
      const l = le.link;
      const inUse = isUsed(index, le);
      if (!l.adminUp) {
        findings.push({
          rule: this.id,
          severity: inUse ? 'critical' : 'info',
          subjects: [le.id],
          message: inUse
            ? `${where(le)} is administratively down: every frame to or through it is dropped`
            : `${where(le)} is administratively down; nothing collected depends on it`,
          evidence: { interface: where(le), state: 'down', operstate: l.operstate },
          fix: linkUpCommand(le.netns.ns, l.name),
        });
        continue;
      }
      // A veth whose peer is down has no carrier; veth-peer-missing names that pair.
      const peer = l.kind === 'veth' && l.peer ? index.link(l.peer) : undefined;
      if (peer && !peer.link.adminUp) continue;
      findings.push({
        rule: this.id,
        severity: inUse ? 'critical' : 'info',
        subjects: [le.id],
        message: `${where(le)} is up but has no carrier (${l.operstate}): nothing it sends arrives anywhere`,
        evidence: { interface: where(le), state: 'no-carrier', operstate: l.operstate },
      });
    }
    return findings;
  },
};
