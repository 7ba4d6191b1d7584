// Bounds on what a collection keeps, which the collector applies and the schema checks: in a file
// without the schema library, which the netlink backend never loads.

/**
 * Listening sockets kept per namespace at most: a namespace with 100,000 of them would otherwise
 * fill the snapshot. Past it the list is cut and marked `truncated` (the helper and `ss | head` stop
 * at the same count, native/nldump.c keeps the number in step).
 */
export const MAX_LISTENING_SOCKETS = 1024;

/** At most this many ports are kept, those with the most entries: a table can hold millions. */
export const MAX_UNREPLIED_PORTS = 64;
