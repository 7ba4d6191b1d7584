import { useQuery } from '@tanstack/react-query';
import { infoQuery, snapshotsQuery } from '../api/queries.ts';

export const useSnapshots = () => useQuery(snapshotsQuery());
export const useServerInfo = () => useQuery(infoQuery());
