// The formats this build reads and writes, which the collector stamps and the schema checks: in a
// file without the schema library, which the netlink backend never loads.

/** The only snapshot format this build reads and writes. Readers refuse any other. */
export const SNAPSHOT_FORMAT = 1;

/** The only dump format this build reads and writes. */
export const DUMP_FORMAT = 1;

/** The longest source label a snapshot from outside may carry (SnapshotInputSchema). */
export const MAX_SOURCE_LENGTH = 200;
