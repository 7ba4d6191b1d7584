import { progress, runWorker } from '../childRun.ts';
import type { Figure, SuiteResult } from '../figure.ts';
import { mib, ms } from '../stats.ts';

interface HistoryRun {
  readonly hosts: number;
  readonly collections: number;
  readonly changing: number;
  readonly counters: boolean;
  readonly firstBytes: number;
  readonly onDiskBytes: number;
  readonly addedBytes: number;
  readonly blobs: number;
  readonly wholeGzipBytes: number;
  readonly putP50Ms: number;
  readonly putP99Ms: number;
  readonly roundTripOk: boolean;
}

/**
 * A day of collections at 5 minutes (288) of the 5,004-host synthetic cluster with 3 hosts changing
 * each time, through the real SQLite store: what the day adds on disk. Then the same cluster with
 * counters on every link that change at every collection, over fewer collections, per collection.
 */
export async function historySuite(
  nodes: number,
  collections: number,
  counterCollections: number,
): Promise<SuiteResult> {
  progress(`history: ${collections} collections of ${nodes} nodes`);
  const day = await runWorker<HistoryRun>('historyWorker.ts', [
    '--nodes',
    String(nodes),
    '--collections',
    String(collections),
  ]);
  progress(`history: ${counterCollections} collections with changing counters`);
  const busy = await runWorker<HistoryRun>('historyWorker.ts', [
    '--nodes',
    String(nodes),
    '--collections',
    String(counterCollections),
    '--counters',
  ]);
  for (const r of [day, busy])
    if (!r.roundTripOk) throw new Error('history: the last snapshot did not read back whole');
  const figures: Figure[] = [
    {
      id: 'history.day.added',
      group: 'history',
      label: `${collections} collections of an unchanged ${day.hosts}-host cluster, ${day.changing} hosts changing each time: added on disk`,
      value: mib(day.addedBytes),
      unit: 'MiB',
      goal: { op: '<', value: 100 },
      note: `first snapshot ${mib(day.firstBytes)} MiB; ${day.blobs} distinct parts; stored whole and gzipped as before, ${mib(day.wholeGzipBytes * collections)} MiB`,
    },
    {
      id: 'history.day.put',
      group: 'history',
      label: `storing one snapshot of ${day.hosts} hosts (split, hash, write): p50`,
      value: ms(day.putP50Ms),
      unit: 'ms',
      note: `p99 ${ms(day.putP99Ms)} ms`,
    },
    {
      id: 'history.counters.perCollection',
      group: 'history',
      label: `the same with counters on every link changing at every collection: added per collection`,
      value: mib(busy.addedBytes / busy.collections),
      unit: 'MiB',
      note: `${busy.collections} collections; counters are stored with each snapshot, not shared`,
    },
  ];
  return { figures, details: { day, counters: busy } };
}
