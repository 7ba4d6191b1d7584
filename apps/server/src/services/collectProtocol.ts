import type { SourceProgress } from '@hoplens/collector';
import type { CollectedAnswer } from './collectPlan.ts';

/** A source's progress and when it happened (ms since the epoch), as batches arrive late. */
export type TimedProgress = SourceProgress & { readonly at: number };

/**
 * What the collection worker tells the main thread: progress (sources that started or ended since
 * the last message, a batch every 50 ms at most, not a message each) with the answers that arrived
 * meanwhile (for the analysis worker, their buffers transferred), then the plan of the snapshot
 * (a CollectPlan's JSON) or why it failed.
 */
export type CollectMessage =
  | {
      readonly kind: 'progress';
      readonly updates: readonly TimedProgress[];
      readonly answers: readonly CollectedAnswer[];
    }
  | { readonly kind: 'collected'; readonly plan: Uint8Array }
  | { readonly kind: 'error'; readonly message: string };

/** What the main thread tells a collection worker: stop (its run will make no snapshot): kill the children, end. */
export interface CollectControl {
  readonly kind: 'stop';
}
