import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { SnapshotSummary } from '@hoplens/model';

/**
 * A call that makes a new snapshot (collect now, import a file): when it lands, the snapshot list
 * refreshes and the new one opens.
 */
export function useNewSnapshot<A>(make: (arg: A) => Promise<SnapshotSummary>, onDone: (id: string) => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: make,
    onSuccess: async (summary) => {
      await client.invalidateQueries({ queryKey: ['snapshots'] });
      onDone(summary.id);
    },
  });
}
