import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { SearchField, Severity } from '@hoplens/model';
import { searchQuery } from '../api/queries.ts';

/**
 * Search hits for the query and filters, the previous ones staying while the next load; idle while
 * there is neither text nor a severity filter.
 */
export function useSearch(id: string, q: string, field: SearchField, severity: Severity | undefined) {
  return useQuery({ ...searchQuery(id, q.trim(), field, severity), placeholderData: keepPreviousData });
}
