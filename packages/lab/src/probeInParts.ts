import { finishProbe, newProbeMark, observeProbe, type ProbeRecording } from '@hoplens/collector';
import {
  mergeObservations,
  offPathTargets,
  watchList,
  type HostMap,
  type ProbeObservation,
  type ProbeResult,
  type ProbeSend,
  type SnapshotIndex,
  type TraceResult,
} from '@hoplens/model';

/** Longest a watcher waits for the origin; it is stopped as soon as the origin's part is done. */
const WATCH_MS = 30_000;

export interface PartsProbe {
  readonly map: HostMap;
  readonly index: SnapshotIndex;
  readonly send: ProbeSend;
  readonly predicted: TraceResult;
  /** Receives each part's raw reading, in part order (the origin first). */
  readonly record?: (part: number, r: ProbeRecording) => void;
}

/**
 * A probe observed as a server with one source per host observes it: one part per host of the path,
 * each with its own trace instance watching only that host's interfaces, the watchers armed before
 * the origin pings; the parts merged. On one machine every part reads every free of the kernel, but
 * follows a buffer only through its own devices: what the merge must still count once.
 */
export async function probeInParts(p: PartsProbe): Promise<{ result: ProbeResult; parts: ProbeObservation[] }> {
  const offPath = offPathTargets(p.predicted, p.index);
  const watch = watchList(p.predicted, offPath);
  const mark = newProbeMark();
  const createdAt = new Date().toISOString();
  const hosts = [...new Set([p.send.from.host, ...watch.map((t) => t.host)])];
  const stop = new AbortController();
  const watchers = hosts.slice(1).map((host, i) => {
    let armed!: () => void;
    const ready = new Promise<void>((resolve) => (armed = resolve));
    const done = observeProbe({
      map: p.map,
      mark,
      watch: watch.filter((t) => t.host === host),
      windowMs: WATCH_MS,
      signal: stop.signal,
      onArmed: armed,
      ...(p.record ? { record: (r: ProbeRecording) => p.record!(i + 1, r) } : {}),
    });
    void done.then(armed, armed);
    return { ready, done };
  });
  await Promise.all(watchers.map((w) => w.ready));
  const origin = observeProbe({
    map: p.map,
    mark,
    send: p.send,
    watch: watch.filter((t) => t.host === p.send.from.host),
    windowMs: 0,
    ...(p.record ? { record: (r: ProbeRecording) => p.record!(0, r) } : {}),
  }).finally(() => stop.abort());
  const parts = await Promise.all([origin, ...watchers.map((w) => w.done)]);
  const observation = mergeObservations(parts);
  const { result } = finishProbe({
    snapshotId: p.index.snapshot.id,
    createdAt,
    send: p.send,
    mark,
    predicted: p.predicted,
    offPath,
    observation,
  });
  return { result, parts };
}
