export { collectLocal, type CollectProgress } from './collectLocal.ts';
export { createSnapshot, newSnapshotId } from './createSnapshot.ts';
export { runCommand, CommandError } from './runCommand.ts';
export { ParseError } from './parse/ipJson.ts';
export { parseLinks } from './parse/parseLinks.ts';
export { parseAddresses } from './parse/parseAddresses.ts';
export { parseRoutes } from './parse/parseRoutes.ts';
export { parseNeighbors } from './parse/parseNeighbors.ts';
export { parseTcFilters, parseTcQdiscs } from './parse/parseTc.ts';
