import type { SourceProgress } from '@hoplens/collector';

/** A source's progress and when it happened (ms since the epoch), as batches arrive late. */
export type TimedProgress = SourceProgress & { readonly at: number };

/**
 * What the collection worker tells the main thread: progress (sources that started or ended since
 * the last message, a batch every 50 ms at most, not a message each), then the snapshot's JSON or
 * why it failed.
 */
export type CollectMessage =
  | { readonly kind: 'progress'; readonly updates: readonly TimedProgress[] }
  | { readonly kind: 'snapshot'; readonly json: Uint8Array }
  | { readonly kind: 'error'; readonly message: string };
