import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { servicesQuery } from '../api/queries.ts';
import { useSettled } from './usePods.ts';

/** The snapshot's Service ports matching `q` (searched on the server once typing settles). */
export function useServices(id: string, q: string, limit: number, enabled = true) {
  const settled = useSettled(q.trim());
  return useQuery({ ...servicesQuery(id, settled, limit), placeholderData: keepPreviousData, enabled });
}
