import type { LinkEntry } from './snapshotIndex.ts';

/** A key for two interfaces that is the same from either end, to report a pair once. */
export const pairKey = (a: LinkEntry, b: LinkEntry): string => (a.id < b.id ? `${a.id}|${b.id}` : `${b.id}|${a.id}`);
