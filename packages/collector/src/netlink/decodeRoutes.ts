import type { Route } from '@hoplens/model';
import { attrs, ipAddress, messages, u32 } from './rtattr.ts';
import { protocolName, routeTypeName, scopeName, tableName } from './names.ts';

const RTM_NEWROUTE = 24;
const RTA = { DST: 1, OIF: 4, GATEWAY: 5, PRIORITY: 6, PREFSRC: 7, METRICS: 8, TABLE: 15 };
/** Inside RTA_METRICS: the lock bitmask (bit n locks metric n) and the MTU. */
const RTAX = { LOCK: 1, MTU: 2 };
const RTM_F_CLONED = 0x200;

/**
 * RTM_NEWROUTE messages as `parseRoutes` reads `ip [-6] -d -j route show table all`: every table,
 * `default` for a zero-length prefix, a host route without its /32 or /128.
 */
export function decodeRoutes(
  buffers: readonly DataView[],
  family: 'inet' | 'inet6',
  nameOf: (ifindex: number) => string,
): Route[] {
  const out: Route[] = [];
  const hostLen = family === 'inet' ? 32 : 128;
  for (const buf of buffers) {
    for (const m of messages(buf)) {
      if (m.type !== RTM_NEWROUTE) continue;
      const b = m.body;
      const dstLen = b.getUint8(1);
      if (b.getUint32(8, true) & RTM_F_CLONED) continue;
      const a = attrs(b, 12);
      const dstIp = ipAddress(a.get(RTA.DST));
      const dst = dstIp === undefined ? 'default' : dstLen === hostLen ? dstIp : `${dstIp}/${dstLen}`;
      const oif = u32(a.get(RTA.OIF));
      const gateway = ipAddress(a.get(RTA.GATEWAY));
      const prefsrc = ipAddress(a.get(RTA.PREFSRC));
      const metric = u32(a.get(RTA.PRIORITY));
      const metrics = a.get(RTA.METRICS);
      const mx = metrics === undefined ? undefined : attrs(metrics);
      const mtu = u32(mx?.get(RTAX.MTU));
      const locked = ((u32(mx?.get(RTAX.LOCK)) ?? 0) & (1 << RTAX.MTU)) !== 0;
      out.push({
        family,
        table: tableName(u32(a.get(RTA.TABLE)) ?? b.getUint8(4)),
        type: routeTypeName(b.getUint8(7)),
        dst,
        ...(oif !== undefined ? { dev: nameOf(oif) } : {}),
        ...(gateway !== undefined ? { gateway } : {}),
        ...(prefsrc !== undefined ? { prefsrc } : {}),
        scope: scopeName(b.getUint8(6)),
        ...(metric !== undefined ? { metric } : {}),
        protocol: protocolName(b.getUint8(5)),
        ...(mtu !== undefined && mtu > 0 ? { mtu } : {}),
        ...(mtu !== undefined && mtu > 0 && locked ? { mtuLock: true as const } : {}),
      });
    }
  }
  return out;
}
