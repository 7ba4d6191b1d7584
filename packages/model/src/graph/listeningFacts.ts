import { socketLabel } from '../net/socketLabel.ts';
import type { NetnsNode } from '../schema/graph.ts';
import type { ListeningSockets } from '../schema/sockets.ts';

/** Sockets a namespace's graph node lists in words; the count says how many more there are. */
export const MAX_NODE_SOCKETS = 32;

/** A namespace's listening sockets as its graph node shows them. */
export function listeningFacts(l: ListeningSockets): NonNullable<NetnsNode['listening']> {
  return {
    sockets: l.sockets.slice(0, MAX_NODE_SOCKETS).map(socketLabel),
    total: l.sockets.length,
    truncated: l.truncated === true,
  };
}
