import { linkUpCommand } from '../fix/commands.ts';
import type { Finding } from '../schema/finding.ts';
import type { LinkEntry } from '../topology/snapshotIndex.ts';
import { isUsed, mirredTargets, where } from './linkFacts.ts';
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
        findings.push(inUse ? usedDown(le) : unusedDown(le, mirredTargets(index).get(le)));
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

/** A down device that something depends on: whatever goes to or through it is dropped. */
function usedDown(le: LinkEntry): Finding {
  return {
    rule: linkDown.id,
    severity: 'critical',
    subjects: [le.id],
    message: `${where(le)} is administratively down: every frame to or through it is dropped`,
    evidence: { interface: where(le), state: 'down', operstate: le.link.operstate },
    fix: linkUpCommand(le.netns.ns, le.link.name),
  };
}

/**
 * A down device no path depends on. Where tc filters send frames into it (some frames: a filter
 * that took every one would make it used), the note says so instead of "nothing depends on it":
 * those frames are dropped there, which may be meant (a down device is a way to drop what a
 * filter picks). No command either way: bringing up a
 * device nothing uses mends nothing (a module's spare ifb0, a parked tunnel, a drop sink).
 */
function unusedDown(le: LinkEntry, filters: readonly string[] | undefined): Finding {
  const evidence = { interface: where(le), state: 'down', operstate: le.link.operstate };
  if (filters === undefined)
    return {
      rule: linkDown.id,
      severity: 'info',
      subjects: [le.id],
      message: `${where(le)} is administratively down; nothing collected depends on it`,
      evidence,
    };
  return {
    rule: linkDown.id,
    // A note like the other: where such a drop meets a path, filter-drop names that filter there.
    severity: 'info',
    subjects: [le.id],
    message: `${where(le)} is administratively down and tc filters send frames into it (${filters.join(', ')}): those frames are dropped there`,
    evidence: { ...evidence, filters: filters.join(', ') },
  };
}
