import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { SnapshotSummary } from '@hoplens/model';
import { followSnapshots } from '../api/events.ts';

/** How long to wait before following the stream again after it broke. */
const RETRY_MS = 3000;

/**
 * Live updates: the snapshot list refreshes when a snapshot is collected or imported anywhere, and
 * the newest one is offered, never opened: whoever is looking at something keeps looking at it.
 */
export function useLiveSnapshots(): { latest: SnapshotSummary | undefined; dismiss: () => void } {
  const client = useQueryClient();
  const [latest, setLatest] = useState<SnapshotSummary>();
  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const follow = (): void => {
      followSnapshots((s) => {
        setLatest(s);
        void client.invalidateQueries({ queryKey: ['snapshots'] });
      }, abort.signal)
        .catch(() => undefined)
        .finally(() => {
          if (!abort.signal.aborted) timer = setTimeout(follow, RETRY_MS);
        });
    };
    follow();
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, [client]);
  return { latest, dismiss: () => setLatest(undefined) };
}
