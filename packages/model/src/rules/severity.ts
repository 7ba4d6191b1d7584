import type { Finding } from '../schema/finding.ts';
import type { Severity } from '../schema/snapshot.ts';

/** Severities from least to most severe: `SEVERITY_RANK.fatal` is the highest. */
export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 0, warning: 1, critical: 2, fatal: 3 };

/** The more severe of two severities (either may be absent). */
export function worse(a: Severity | undefined, b: Severity | undefined): Severity | undefined {
  if (!a) return b;
  if (!b) return a;
  return SEVERITY_RANK[b] > SEVERITY_RANK[a] ? b : a;
}

/** The most severe finding per graph element that findings name. */
export function worstByElement(findings: readonly Finding[]): Map<string, Severity> {
  const out = new Map<string, Severity>();
  for (const f of findings) for (const id of f.subjects) out.set(id, worse(out.get(id), f.severity) ?? f.severity);
  return out;
}

/** How many findings there are of each severity. */
export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { info: 0, warning: 0, critical: 0, fatal: 0 };
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}
