import type { PrepareEvent } from '@hoplens/model';

/** 368 MB, 21 MB, 900 kB: a size as a user reads it. */
export const megabytes = (bytes: number): string =>
  bytes >= 1e6 ? `${Math.round(bytes / 1e6).toLocaleString('en')} MB` : `${Math.ceil(bytes / 1e3)} kB`;

/** A step of preparing a snapshot, in words: "loading 368 MB…", "rules 12/26". */
export function prepareWords(e: PrepareEvent): string {
  switch (e.stage) {
    case 'reading':
      return 'reading from the store…';
    case 'loading':
      return e.bytes === undefined ? 'loading…' : `loading ${megabytes(e.bytes)}…`;
    case 'validating':
      return e.bytes === undefined ? 'validating…' : `validating ${megabytes(e.bytes)}…`;
    case 'graph':
      return e.hosts === undefined || e.pods === undefined
        ? 'building graph…'
        : `building graph of ${count(e.hosts, 'host')} and ${count(e.pods, 'pod')}…`;
    case 'rules':
      return `rules ${e.done ?? 0}/${e.total ?? '?'}`;
    case 'drawing':
      return 'drawing…';
    case 'ready':
      return 'ready';
    case 'failed':
      return 'failed';
  }
}

const count = (n: number, noun: string): string => `${n.toLocaleString('en')} ${n === 1 ? noun : `${noun}s`}`;
