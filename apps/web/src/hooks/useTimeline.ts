import { useQuery } from '@tanstack/react-query';
import { timelineQuery } from '../api/queries.ts';

/** Findings over time across the snapshots of this one's source. */
export const useTimeline = (id: string) => useQuery(timelineQuery(id));
