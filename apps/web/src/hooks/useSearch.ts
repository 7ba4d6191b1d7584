import { keepPreviousData, skipToken, useQuery } from '@tanstack/react-query';
import type { SearchField, Severity } from '@hoplens/model';
import { searchQuery } from '../api/queries.ts';

/** Search hits for the query and filters; idle while there is neither text nor a severity filter. */
export function useSearch(id: string, q: string, field: SearchField, severity: Severity | undefined) {
  const active = q.trim() !== '' || severity !== undefined;
  const options = searchQuery(id, q.trim(), field, severity);
  return useQuery({
    queryKey: options.queryKey,
    queryFn: active ? options.queryFn : skipToken,
    staleTime: Infinity,
    placeholderData: keepPreviousData,
  });
}
