/**
 * The pieces of neighbor-mac-mismatch a property test holds against each other: the shortcut that
 * skips an entry without walking, and the walk it spares.
 */
export { directlyAttached, wrongReceiver } from '../rules/neighborMacMismatch.ts';
export { passThrough } from '../topology/passThrough.ts';
