import { SEVERITY_RANK } from '../rules/severity.ts';
import type { Finding } from '../schema/finding.ts';
import type { TraceResult } from '../schema/trace.ts';

/**
 * A dropping hop's fix as the findings on its element print it. The walk proposes one where a frame
 * is refused for its MAC (give the receiver the frame's MAC): right when the receiver is the side
 * to change (the seed's pod VM), wrong when the sender's neighbour entry is stale, where the rule
 * prints `ip neigh del` and changing the receiver's MAC breaks the pod. So a hop keeps its fix when
 * a finding on its element prints the same, takes the worst such finding's fix otherwise, and
 * prints none when no finding names its element.
 */
export function withFindingFixes(result: TraceResult, findings: readonly Finding[]): TraceResult {
  if (!result.hops.some((h) => h.fix !== undefined)) return result;
  const fixesOn = (element: string): string[] =>
    findings
      .filter((f) => f.fix !== undefined && f.subjects.includes(element))
      .sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity])
      .map((f) => f.fix ?? '');
  return {
    ...result,
    hops: result.hops.map((h) => {
      if (h.fix === undefined) return h;
      const printed = fixesOn(h.element);
      if (printed.includes(h.fix)) return h;
      const rest = { ...h };
      delete rest.fix;
      return printed[0] === undefined ? rest : { ...rest, fix: printed[0] };
    }),
  };
}
