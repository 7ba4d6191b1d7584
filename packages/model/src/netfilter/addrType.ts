import { parseIp, type IpValue } from '../net/ip.ts';
import type { NetnsInventory } from '../schema/inventory.ts';
import type { AddrType } from './nfPacket.ts';

/**
 * The type of an address in a namespace, as `inet_addr_type` answers `addrtype` (and `fib … type`
 * for the common cases): the namespace's own addresses (and 127/8 on a namespace with loopback)
 * are local, its local table's broadcast routes and the all-ones address broadcast, 224/4 and
 * ff00::/8 multicast, anything else unicast.
 */
export function addrTypeIn(ns: NetnsInventory): (ip: IpValue) => AddrType {
  const local = new Set<bigint>();
  const broadcast = new Set<bigint>();
  for (const a of ns.addresses) {
    const v = parseIp(a.address);
    if (v) local.add(v.value | (v.family === 6 ? 1n << 200n : 0n));
  }
  for (const r of ns.routes) {
    if (r.table !== 'local' || r.type !== 'broadcast') continue;
    const v = parseIp(r.dst.split('/')[0] ?? '');
    if (v && v.family === 4) broadcast.add(v.value);
  }
  const loopback = ns.addresses.some((a) => a.address === '127.0.0.1');
  return (ip) => {
    if (ip.family === 6) {
      if (local.has(ip.value | (1n << 200n)) || ip.value === 1n) return 'local';
      return ip.value >> 120n === 0xffn ? 'multicast' : 'unicast';
    }
    if (ip.value === 0xffffffffn || ip.value >> 24n === 0n) return 'broadcast';
    if (ip.value >> 28n === 0xen) return 'multicast';
    if (local.has(ip.value) || (loopback && ip.value >> 24n === 127n)) return 'local';
    if (broadcast.has(ip.value)) return 'broadcast';
    return 'unicast';
  };
}
