import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';
import { isReachable, probeServer, subscribeReachable, unreachableSince } from '../api/reachability.ts';

/** How often a server that stopped answering is asked again. */
export const RETRY_MS = 2000;

/**
 * Whether the server answers. While it does not, it is asked again every RETRY_MS; when it answers
 * again, every query is fetched anew (what failed meanwhile, and what may have changed), so the
 * page recovers without a reload.
 */
export function useServerReachable(): { readonly reachable: boolean; readonly since: number | undefined } {
  const client = useQueryClient();
  const reachable = useSyncExternalStore(subscribeReachable, isReachable);
  useEffect(() => {
    if (reachable) return;
    const timer = setInterval(() => void probeServer(), RETRY_MS);
    return () => clearInterval(timer);
  }, [reachable]);
  useEffect(
    () =>
      subscribeReachable(() => {
        if (isReachable()) void client.invalidateQueries();
      }),
    [client],
  );
  return { reachable, since: reachable ? undefined : unreachableSince() };
}
