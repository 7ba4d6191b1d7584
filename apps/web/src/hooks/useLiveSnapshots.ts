import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { FindingsEvent, SnapshotSummary } from '@hoplens/model';
import { followEvents } from '../api/events.ts';
import { snapshotsQuery } from '../api/queries.ts';
import { withSummary } from './withSummary.ts';

/** How long to wait before following the stream again after it broke. */
const RETRY_MS = 3000;

/**
 * Live updates: the snapshot list and timelines refresh when a snapshot is collected or imported
 * anywhere (on this server or another one on the same database), the newest snapshot is offered,
 * never opened (whoever is looking at something keeps looking at it), and findings that appeared
 * with it are announced.
 */
export function useLiveSnapshots(): {
  latest: SnapshotSummary | undefined;
  findings: FindingsEvent | undefined;
  dismiss: () => void;
} {
  const client = useQueryClient();
  const [latest, setLatest] = useState<SnapshotSummary>();
  const [findings, setFindings] = useState<FindingsEvent>();
  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const follow = (): void => {
      followEvents(
        {
          onSnapshot: (s) => {
            setLatest(s);
            // The event carries the new snapshot's summary: the list holds it at once, in its place
            // (newest first), and is then asked again for anything else that changed.
            client.setQueryData(snapshotsQuery().queryKey, (list) => list && withSummary(list, s));
            void client.invalidateQueries({ queryKey: ['snapshots'] });
            void client.invalidateQueries({ queryKey: ['timeline'] });
          },
          onFindings: setFindings,
        },
        abort.signal,
      )
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
  return {
    latest,
    findings,
    dismiss: () => {
      setLatest(undefined);
      setFindings(undefined);
    },
  };
}
