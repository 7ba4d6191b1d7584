import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { podsQuery } from '../api/queries.ts';

/** How long typing rests before the server is asked. */
const SETTLE_MS = 150;

/** `value`, once it has stopped changing for `ms`. */
export function useSettled<T>(value: T, ms = SETTLE_MS): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return settled;
}

/**
 * A page of the snapshot's pods matching `q` (searched on the server once typing settles), the
 * previous page staying while the next loads.
 */
export function usePods(id: string, q: string, limit: number, enabled = true) {
  const settled = useSettled(q.trim());
  return useQuery({ ...podsQuery(id, settled, limit), placeholderData: keepPreviousData, enabled });
}
