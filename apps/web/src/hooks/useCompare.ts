import { skipToken, useQuery } from '@tanstack/react-query';
import { compareQuery } from '../api/queries.ts';

/** The diff from `before` to `after`; idle when not comparing. */
export function useCompare(before: string | undefined, after: string) {
  const options = before ? compareQuery(before, after) : undefined;
  return useQuery({
    queryKey: options?.queryKey ?? ['compare', 'none'],
    queryFn: options?.queryFn ?? skipToken,
    staleTime: Infinity,
  });
}
