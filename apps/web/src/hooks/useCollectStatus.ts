import { useQuery } from '@tanstack/react-query';
import { collectStatusQuery } from '../api/queries.ts';

/** Where the running collection stands, per source: polled while it runs. */
export function useCollectStatus(running: boolean) {
  return useQuery({ ...collectStatusQuery(), enabled: running, refetchInterval: running ? 300 : false });
}
