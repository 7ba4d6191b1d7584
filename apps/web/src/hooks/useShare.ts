import { useMutation, useQueryClient } from '@tanstack/react-query';
import { pinSnapshot } from '../api/queries.ts';

/**
 * "Share": pins the snapshot (retention then keeps it, so the link keeps working) and copies the
 * link. Where pinning is refused (a token is needed for writes), the link is copied all the same
 * and the answer says it is not pinned.
 */
export function useShare(snapshot: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (link: string): Promise<{ pinned: boolean; copied: boolean; why?: string }> => {
      const pin = await pinSnapshot(snapshot).then(
        () => ({ pinned: true }),
        (e: unknown) => ({ pinned: false, why: (e as Error).message }),
      );
      const copied = await navigator.clipboard.writeText(link).then(
        () => true,
        () => false,
      );
      return { ...pin, copied };
    },
    onSuccess: () => client.invalidateQueries({ queryKey: ['snapshots'] }),
  });
}
