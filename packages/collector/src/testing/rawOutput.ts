import type { Snapshot } from '@hoplens/model';

/**
 * Real `ip -j`/`tc -j` output captured from the lab: the recorded seed snapshot keeps every
 * command's raw output beside the parsed data.
 */
export function rawOutput(
  snapshot: Snapshot,
  netns: string,
  words: readonly string[],
  without: readonly string[] = [],
): string {
  for (const h of snapshot.hosts) {
    for (const ns of h.namespaces) {
      if (ns.name !== netns) continue;
      const hit = ns.raw.find(
        (r) => words.every((w) => r.command.includes(w)) && !without.some((w) => r.command.includes(w)),
      );
      if (hit) return hit.output;
    }
  }
  throw new Error(`no raw output of ${words.join(' ')} in ${netns}`);
}
