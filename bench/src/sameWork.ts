import type { CollectRounds } from './workers/collectRounds.ts';

/**
 * Whether the ratio may be held against its goal: plotnetcfg reads every namespace on the machine,
 * hoplens the host map's, so other labs left on the machine add to plotnetcfg's work only (and to
 * the helper's sysctl lookups far less) — a ratio taken then flatters hoplens. plotnetcfg also
 * reads the machine's own namespace: one more is the same work.
 */
export function sameWork(r: Pick<CollectRounds, 'hoplens' | 'plotnetcfg'>): {
  readonly held: boolean;
  readonly note: string;
} {
  const ours = r.hoplens.collected.namespaces ?? 0;
  const theirs = r.plotnetcfg.collected.namespaces ?? 0;
  const held = theirs <= ours + 1;
  return {
    held,
    note: `plotnetcfg read ${theirs} namespaces, hoplens ${ours}${held ? '' : '; not held against the goal: plotnetcfg read more namespaces than the host map (other labs on the machine)'}`,
  };
}
