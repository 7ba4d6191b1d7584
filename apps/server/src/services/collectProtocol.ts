import type { SourceProgress } from '@hoplens/collector';

/** What the collection worker tells the main thread: progress, then the snapshot's JSON or why it failed. */
export type CollectMessage =
  | ({ readonly kind: 'progress' } & SourceProgress)
  | { readonly kind: 'snapshot'; readonly json: Uint8Array }
  | { readonly kind: 'error'; readonly message: string };
