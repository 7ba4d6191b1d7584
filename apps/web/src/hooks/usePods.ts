import { useQuery } from '@tanstack/react-query';
import { podsQuery } from '../api/queries.ts';

/** The snapshot's pods, for the pod list and the path destination picker. */
export const usePods = (id: string) => useQuery(podsQuery(id));
