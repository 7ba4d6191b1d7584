import { useMutation, useQueryClient } from '@tanstack/react-query';
import { collectNow } from '../api/queries.ts';

/** "Collect now": a new snapshot from the server's sources; the list refreshes when it lands. */
export function useCollect(onDone: (id: string) => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: collectNow,
    onSuccess: async (summary) => {
      await client.invalidateQueries({ queryKey: ['snapshots'] });
      onDone(summary.id);
    },
  });
}
