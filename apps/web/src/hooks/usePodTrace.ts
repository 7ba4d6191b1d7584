import { skipToken, useQuery } from '@tanstack/react-query';
import { podTraceQuery } from '../api/queries.ts';
import type { PathTarget } from '../routing/urlState.ts';

/** The selected pod's path to `target`; idle while no pod is selected. */
export function usePodTrace(id: string, pod: string | undefined, target: PathTarget) {
  const options = pod ? podTraceQuery(id, pod, target.to, target.proto, target.port) : undefined;
  return useQuery({
    queryKey: options?.queryKey ?? ['snapshot', id, 'trace', 'none'],
    queryFn: options?.queryFn ?? skipToken,
    staleTime: Infinity,
  });
}
