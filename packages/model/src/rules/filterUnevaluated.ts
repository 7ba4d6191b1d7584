import { netnsId } from '../ids.ts';
import type { Finding } from '../schema/finding.ts';
import { describeStop, stopEvidence } from './filterDrop.ts';
import { MAX_POD_TRACES, podFilterStops, tunnelFilterStops } from './filterStops.ts';
import type { Rule } from './rule.ts';

/**
 * A filter on a path that hoplens cannot evaluate (an eBPF program, a match or target it does not
 * read, a ruleset it could not collect): traces through it answer unknown. Worth knowing, not a
 * fault; and a note when there were more pods behind filters than the rules trace.
 */
export const filterUnevaluated: Rule = {
  id: 'filter-unevaluated',
  run(index) {
    const pods = podFilterStops(index);
    const findings: Finding[] = [...pods.stops, ...tunnelFilterStops(index)]
      .filter((s) => s.verdict === 'unknown')
      .map((s) => ({
        rule: this.id,
        severity: 'info',
        subjects: [netnsId(s.ns.ref)],
        message: `${describeStop(s)} cannot be evaluated by hoplens: traces through it answer unknown (${s.reason})`,
        evidence: stopEvidence(s),
      }));
    if (pods.candidates > pods.traced) {
      findings.push({
        rule: this.id,
        severity: 'info',
        subjects: [],
        message: `${pods.candidates} pods sit behind packet filters; the rules traced the paths of the first ${MAX_POD_TRACES}`,
        evidence: { candidates: String(pods.candidates), traced: String(pods.traced) },
      });
    }
    return findings;
  },
};
