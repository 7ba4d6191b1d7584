import { hostId } from '../ids.ts';
import type { CollectError } from '../schema/inventory.ts';
import type { Finding } from '../schema/finding.ts';
import { absentWords, failedParts, leavesOut } from '../topology/unseenParts.ts';
import type { Rule } from './rule.ts';

/** How much of a host's first error a finding quotes: errors come from agents and dumps, and may be long. */
const QUOTED = 300;

/** An error's words, bounded (never cutting a surrogate pair in two), with the namespace it names. */
function quote(e: CollectError): string {
  let end = Math.min(e.message.length, QUOTED);
  const high = e.message.charCodeAt(end - 1);
  if (end < e.message.length && high >= 0xd800 && high <= 0xdbff) end--;
  const words = end < e.message.length ? `${e.message.slice(0, end)}…` : e.message;
  return e.netns === undefined || e.netns === null ? words : `${words} (namespace ${e.netns})`;
}

/**
 * A host whose collection failed, in whole or in part. Every other rule reads only what was
 * collected: where nothing was, they all pass, and "no findings" would be read as "nothing is
 * wrong" — the one verdict hoplens must never give about what it could not see. A warning where
 * nothing of the host was read (an agent that never answered, a dump that could not be read), where
 * its own (root) namespace is missing, or where a namespace that failed is missing: traffic through
 * what is missing is unknown; so too a host of no namespace without any error, and one whose errors
 * reached the bound (those left out may name missing namespaces). Info where every namespace is
 * there and part of one failed (a filter listing, say). Notices (a rename between sources, hosts an agent was not allowed to report) are
 * said of hosts read whole: not failures.
 */
export const collectionIncomplete: Rule = {
  id: 'collection-incomplete',
  run(index) {
    const findings: Finding[] = [];
    for (const host of index.snapshot.hosts) {
      const parts = failedParts(host);
      if (!parts) continue;
      const { failures, nothing, missing } = parts;
      const first = failures[0] === undefined ? 'no error was recorded' : quote(failures[0]);
      const more = failures.length > 1 ? ` and ${failures.length - 1} more` : '';
      const what = nothing
        ? `nothing was collected from ${host.name}: ${first}${more}; every verdict about traffic through it is unknown, not passed`
        : leavesOut(parts)
          ? `${host.name} was collected without ${absentWords(parts)}: ${first}${more}; every verdict about traffic through what is missing is unknown, not passed`
          : `${host.name} was collected with ${failures.length} error${failures.length === 1 ? '' : 's'}: ${first}${more}; the rules could not check what failed`;
      findings.push({
        rule: this.id,
        severity: leavesOut(parts) ? 'warning' : 'info',
        subjects: [hostId(host.name)],
        message: what,
        evidence: {
          host: host.name,
          errors: String(failures.length),
          namespaces: String(host.namespaces.length),
          ...(missing.length > 0 ? { missing: missing.slice(0, 20).join(', ') } : {}),
          firstError: first,
        },
      });
    }
    return findings;
  },
};
