import type { ListeningSocket } from '../schema/sockets.ts';

/** A listening socket in words: `tcp 0.0.0.0:8080`, `udp [::]:53 on eth0`. */
export const socketLabel = (s: ListeningSocket): string =>
  `${s.proto} ${s.family === 'inet6' ? `[${s.address}]` : s.address}:${s.port}${s.dev === undefined ? '' : ` on ${s.dev}`}`;
