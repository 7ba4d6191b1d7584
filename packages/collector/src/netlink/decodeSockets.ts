import type { ListeningSocket, ListeningSockets } from '@hoplens/model';
import { listeningSockets } from '../listeningSockets.ts';
import { attrs, ipAddress, messages, u8 } from './rtattr.ts';

const SOCK_DIAG_BY_FAMILY = 20;
const AF_INET = 2;
const AF_INET6 = 10;
/** The helper asks UDP sockets in TCP_CLOSE (unconnected) and TCP sockets in TCP_LISTEN only. */
const TCP_CLOSE = 7;
const TCP_LISTEN = 10;
/** sizeof(struct inet_diag_msg); INET_DIAG_SKV6ONLY follows it for an IPv6 socket. */
const INET_DIAG_MSG = 72;
const INET_DIAG_SKV6ONLY = 11;

/**
 * inet_diag answers (struct inet_diag_msg) as `parseListening` reads `ss -l -n -t -u -e`: the bound
 * address and port, the device of SO_BINDTODEVICE (named by `nameOf`), IPV6_V6ONLY of an IPv6
 * socket. The state tells the protocol apart (see native/nldump.c, kind 24).
 */
export function decodeSockets(buffers: readonly DataView[], nameOf: (ifindex: number) => string): ListeningSockets {
  const out: ListeningSocket[] = [];
  for (const buf of buffers) {
    for (const m of messages(buf)) {
      if (m.type !== SOCK_DIAG_BY_FAMILY || m.body.byteLength < INET_DIAG_MSG) continue;
      const b = m.body;
      const family = b.getUint8(0);
      const state = b.getUint8(1);
      if ((family !== AF_INET && family !== AF_INET6) || (state !== TCP_CLOSE && state !== TCP_LISTEN)) continue;
      const v6 = family === AF_INET6;
      const address = ipAddress(new DataView(b.buffer, b.byteOffset + 8, v6 ? 16 : 4));
      if (address === undefined) continue;
      const ifindex = b.getUint32(40, true);
      const v6only = v6 ? u8(attrs(b, INET_DIAG_MSG).get(INET_DIAG_SKV6ONLY)) : undefined;
      out.push({
        proto: state === TCP_LISTEN ? 'tcp' : 'udp',
        family: v6 ? 'inet6' : 'inet',
        address,
        port: b.getUint16(4, false),
        ...(ifindex === 0 ? {} : { dev: nameOf(ifindex) }),
        ...(v6only === undefined ? {} : { v6only: v6only === 1 }),
      });
    }
  }
  return listeningSockets(out);
}
