import type { Finding } from '../schema/finding.ts';
import type { SnapshotIndex } from '../topology/snapshotIndex.ts';

/** A diagnostic rule: pure, reads the indexed snapshot, returns findings. */
export interface Rule {
  readonly id: string;
  readonly run: (index: SnapshotIndex) => Finding[];
}
