import type { ListeningSocket } from '../schema/sockets.ts';
import { parseIp, type IpValue } from './ip.ts';

/** ::ffff:0:0/96, where an IPv4 address sits in an IPv6 socket's address (v4-mapped). */
const V4_MAPPED = 0xffffn << 32n;

/**
 * Whether a listening socket takes a packet for `dst` arriving on `dev` (`__inet_lookup_listener`,
 * `__udp4_lib_lookup` and their v6 twins): bound to that address or to the wildcard of its family —
 * an IPv6 socket that is not v6only takes IPv4 too, as v4-mapped — and, when bound to a device
 * (SO_BINDTODEVICE), only what arrives there. `dev` undefined: any device.
 */
export function takes(s: ListeningSocket, dst: IpValue, dev: string | undefined): boolean {
  if (s.dev !== undefined && dev !== undefined && s.dev !== dev) return false;
  const bound = parseIp(s.address);
  if (!bound) return false;
  if (dst.family === 4 && bound.family === 6) {
    if (s.v6only === true) return false;
    return bound.value === 0n || bound.value === (V4_MAPPED | dst.value);
  }
  return bound.family === dst.family && (bound.value === 0n || bound.value === dst.value);
}
