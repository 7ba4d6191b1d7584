import { createHash } from 'node:crypto';
import type { FreeEvent } from '@hoplens/model';
import { directionOf, type TraceEvent } from './tracefs/traceEvent.ts';

/**
 * The free as another part of the probe on this kernel would know it again (the address only as a
 * digest: the dashboard has no use for kernel pointers), and the device event its site rests on.
 */
export function freeEvent(
  bootId: string | undefined,
  free: TraceEvent,
  last: TraceEvent | undefined,
  vouched: boolean,
): FreeEvent {
  const key = createHash('sha256')
    .update([bootId ?? '', free.cpu, free.skbaddr, free.location ?? '', free.reasonCode ?? ''].join('\0'))
    .digest('hex')
    .slice(0, 32);
  return {
    key,
    atNs: String(free.tsNs),
    ...(last ? { last: { atNs: String(last.tsNs), device: last.device ?? '', direction: directionOf(last) } } : {}),
    vouched,
  };
}
