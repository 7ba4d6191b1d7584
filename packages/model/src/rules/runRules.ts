import type { Finding } from '../schema/finding.ts';
import type { Severity } from '../schema/snapshot.ts';
import type { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { macMismatchAcrossTunnel } from './macMismatchAcrossTunnel.ts';
import { neighborMacMismatch } from './neighborMacMismatch.ts';
import type { Rule } from './rule.ts';

/** Every rule, in the order findings are reported. */
export const RULES: readonly Rule[] = [macMismatchAcrossTunnel, neighborMacMismatch];

const ORDER: Record<Severity, number> = { fatal: 0, critical: 1, warning: 2, info: 3 };

/** Runs every rule; findings come most severe first. */
export function runRules(index: SnapshotIndex): Finding[] {
  return RULES.flatMap((r) => r.run(index)).sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
}

export function countBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { info: 0, warning: 0, critical: 0, fatal: 0 };
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}
