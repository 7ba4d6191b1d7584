import { skipToken, useQuery } from '@tanstack/react-query';
import { podTraceQuery } from '../api/queries.ts';

/** The selected pod's path; idle while no pod is selected. */
export function usePodTrace(id: string, pod: string | undefined, to: string) {
  const options = pod ? podTraceQuery(id, pod, to) : undefined;
  return useQuery({
    queryKey: options?.queryKey ?? ['snapshot', id, 'trace', 'none'],
    queryFn: options?.queryFn ?? skipToken,
    staleTime: Infinity,
  });
}
