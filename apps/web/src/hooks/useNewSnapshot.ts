import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { SnapshotSummary } from '@hoplens/model';

/**
 * A call that makes a new snapshot (collect now, import a file): when it lands, the snapshot list
 * refreshes and `onDone` decides what to show, given the new snapshot and what this call was asked
 * with (each call its own, where two overlap).
 */
export function useNewSnapshot<A>(
  make: (arg: A) => Promise<SnapshotSummary>,
  onDone: (summary: SnapshotSummary, arg: A) => void,
) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: make,
    onSuccess: async (summary, arg) => {
      await client.invalidateQueries({ queryKey: ['snapshots'] });
      onDone(summary, arg);
    },
  });
}
