import { MAX_LISTENING_SOCKETS, type ListeningSocket, type ListeningSockets } from '@hoplens/model';

/**
 * A namespace's listening sockets as both backends keep them: the first MAX_LISTENING_SOCKETS, in
 * the order the kernel lists them (`ss -t -u`: UDP then TCP, v4 then v6), marked `truncated` where
 * there were more.
 */
export function listeningSockets(all: readonly ListeningSocket[]): ListeningSockets {
  if (all.length <= MAX_LISTENING_SOCKETS) return { sockets: [...all] };
  return { sockets: all.slice(0, MAX_LISTENING_SOCKETS), truncated: true };
}
