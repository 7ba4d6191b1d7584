import { useSyncExternalStore } from 'react';
import type { PrepareEvent } from '@hoplens/model';

/** Each snapshot's preparation steps heard on the event stream, in order (rules: the last count only). */
const steps = new Map<string, readonly PrepareEvent[]>();
const listeners = new Set<() => void>();
const NONE: readonly PrepareEvent[] = [];

/** Records a step of preparing a snapshot (from GET /api/events); a new preparation starts afresh. */
export function notePrepare(e: PrepareEvent): void {
  const before = e.stage === 'reading' ? NONE : (steps.get(e.snapshot) ?? NONE);
  const last = before.at(-1);
  steps.set(e.snapshot, last?.stage === e.stage ? [...before.slice(0, -1), e] : [...before, e]);
  for (const l of listeners) l();
}

const subscribe = (l: () => void): (() => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

/** The steps the server has announced while preparing snapshot `id` (empty when none were heard). */
export const usePreparing = (id: string): readonly PrepareEvent[] =>
  useSyncExternalStore(subscribe, () => steps.get(id) ?? NONE);
