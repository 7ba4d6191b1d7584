import { collectNow } from '../api/queries.ts';
import { useNewSnapshot } from './useNewSnapshot.ts';

/** "Collect now": a new snapshot from the server's sources; the list refreshes when it lands. */
export const useCollect = (onDone: (id: string) => void) =>
  useNewSnapshot<void>(collectNow, (summary) => onDone(summary.id));
