import { hostId } from '../ids.ts';
import type { Finding } from '../schema/finding.ts';
import type { Rule } from './rule.ts';

/** How much of a host's first error a finding quotes: errors come from agents and dumps, and may be long. */
const QUOTED = 300;

/**
 * A host whose collection failed, in whole or in part. Every other rule reads only what was
 * collected: where nothing was, they all pass, and "no findings" would be read as "nothing is
 * wrong" — the one verdict hoplens must never give about what it could not see. A host with no
 * namespace at all (an agent that never answered, a dump that could not be read) is a warning:
 * nothing about traffic through it is known. One whose namespaces were read with errors (a
 * namespace gone, a filter listing that failed) is info: the other findings stand, for what was read.
 */
export const collectionIncomplete: Rule = {
  id: 'collection-incomplete',
  run(index) {
    const findings: Finding[] = [];
    for (const host of index.snapshot.hosts) {
      const errors = host.errors;
      if (errors.length === 0) continue;
      const nothing = host.namespaces.length === 0;
      const first = errors[0]!;
      const where = first.netns === undefined || first.netns === null ? '' : ` (namespace ${first.netns})`;
      const quoted = first.message.length > QUOTED ? `${first.message.slice(0, QUOTED)}…` : first.message;
      const more = errors.length > 1 ? ` and ${errors.length - 1} more` : '';
      findings.push({
        rule: this.id,
        severity: nothing ? 'warning' : 'info',
        subjects: [hostId(host.name)],
        message: nothing
          ? `nothing was collected from ${host.name}: ${quoted}${where}${more}; every verdict about traffic through it is unknown, not passed`
          : `${host.name} was collected with ${errors.length} error${errors.length === 1 ? '' : 's'}: ${quoted}${where}${more}; the rules could not check what failed`,
        evidence: {
          host: host.name,
          errors: String(errors.length),
          namespaces: String(host.namespaces.length),
          firstError: `${quoted}${where}`,
        },
      });
    }
    return findings;
  },
};
