import Type from 'typebox';
import { MAX_LISTENING_SOCKETS } from './bounds.ts';

/**
 * A socket that takes new traffic to its port: a TCP socket in LISTEN, or an unconnected UDP socket
 * (`ss -l -n -t -u`, inet_diag over NETLINK_SOCK_DIAG). `address` is what it is bound to:
 * `0.0.0.0` or `::` for every address of its family (and, on an `inet6` socket that is not
 * `v6only`, every IPv4 address too, as v4-mapped); `dev` the device it is bound to
 * (SO_BINDTODEVICE): it takes only packets that arrive there.
 */
export const ListeningSocketSchema = Type.Object({
  proto: Type.Union([Type.Literal('tcp'), Type.Literal('udp')]),
  family: Type.Union([Type.Literal('inet'), Type.Literal('inet6')]),
  address: Type.String({ maxLength: 64 }),
  port: Type.Integer({ minimum: 0, maximum: 65535 }),
  dev: Type.Optional(Type.String({ maxLength: 64 })),
  /** IPV6_V6ONLY of an `inet6` socket: it takes no IPv4 packets. */
  v6only: Type.Optional(Type.Boolean()),
});
export type ListeningSocket = Type.Static<typeof ListeningSocketSchema>;

/** A namespace's listening sockets; `truncated` where more than MAX_LISTENING_SOCKETS were there. */
export const ListeningSocketsSchema = Type.Object({
  sockets: Type.Array(ListeningSocketSchema, { maxItems: MAX_LISTENING_SOCKETS }),
  truncated: Type.Optional(Type.Boolean()),
});
export type ListeningSockets = Type.Static<typeof ListeningSocketsSchema>;
