import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { linkPath, netnsId, netnsPath, runRules, type Finding, type SnapshotIndex } from '@hoplens/model';

/** What applying a variant's fixes did, for the suite's table. */
export interface FixProof {
  readonly fixes: number;
  /** Findings above info after the fixes, by rule and names. */
  readonly remaining: readonly string[];
  /** Findings above info that print no fix, by rule and names. */
  readonly unfixable: readonly string[];
}

const above = (f: Finding): boolean => f.severity !== 'info';

/**
 * A finding by its rule and the names of what it concerns: ids hold ifindexes, and a fix that makes
 * a device anew gives it another.
 */
function byName(index: SnapshotIndex, f: Finding): string {
  const names = new Map<string, string>();
  for (const le of index.links) names.set(le.id, linkPath(le.ref, le.link.name));
  for (const ns of index.namespaces) names.set(netnsId(ns.ref), netnsPath(ns.ref));
  return `${f.rule} on ${f.subjects.map((s) => names.get(s) ?? s).join(', ')}`;
}

/**
 * Runs every distinct fix command the findings above info print, in a shell as a user pasting them
 * would, then collects again. Throws when a command fails. Returns what the new collection still
 * raises, and which findings had no fix to run.
 */
export async function applyFixes(before: SnapshotIndex, collect: () => Promise<SnapshotIndex>): Promise<FixProof> {
  const raised = runRules(before).filter(above);
  const fixes = [...new Set(raised.flatMap((f) => (f.fix ? [f.fix] : [])))];
  for (const fix of fixes) {
    try {
      await promisify(execFile)('sh', ['-e', '-c', fix], { timeout: 10_000 });
    } catch (e) {
      throw new Error(`the printed fix failed:\n${fix}\n${(e as { stderr?: string }).stderr ?? String(e)}`, {
        cause: e,
      });
    }
  }
  const after = await collect();
  return {
    fixes: fixes.length,
    remaining: runRules(after)
      .filter(above)
      .map((f) => byName(after, f)),
    unfixable: raised.filter((f) => !f.fix).map((f) => byName(before, f)),
  };
}
