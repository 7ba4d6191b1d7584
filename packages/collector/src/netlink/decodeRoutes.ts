import type { Route } from '@hoplens/model';
import { attrs, messagesOfType } from './rtattr.ts';
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
  const msgs = messagesOfType(buffers, RTM_NEWROUTE);
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i]!;
    const b = m.body;
    const dstLen = b.getUint8(1);
    if (b.getUint32(8, true) & RTM_F_CLONED) continue;
    const a = attrs(b, 12);
    const dstIp = a.ip(RTA.DST);
    const dst = dstIp === undefined ? 'default' : dstLen === hostLen ? dstIp : `${dstIp}/${dstLen}`;
    const oif = a.u32(RTA.OIF);
    const gateway = a.ip(RTA.GATEWAY);
    const prefsrc = a.ip(RTA.PREFSRC);
    const metric = a.u32(RTA.PRIORITY);
    const metrics = a.get(RTA.METRICS);
    const mx = metrics === undefined ? undefined : attrs(metrics);
    const mtu = mx?.u32(RTAX.MTU);
    const locked = ((mx?.u32(RTAX.LOCK) ?? 0) & (1 << RTAX.MTU)) !== 0;
    // Keys set in place, in the order `ip -j` prints them: a conditional spread per optional key
    // made and copied a small object each, in code that runs unoptimized (see shortLived).
    const route: Route = {
      family,
      table: tableName(a.u32(RTA.TABLE) ?? b.getUint8(4)),
      type: routeTypeName(b.getUint8(7)),
      dst,
    };
    if (oif !== undefined) route.dev = nameOf(oif);
    if (gateway !== undefined) route.gateway = gateway;
    if (prefsrc !== undefined) route.prefsrc = prefsrc;
    route.scope = scopeName(b.getUint8(6));
    if (metric !== undefined) route.metric = metric;
    route.protocol = protocolName(b.getUint8(5));
    if (mtu !== undefined && mtu > 0) {
      route.mtu = mtu;
      if (locked) route.mtuLock = true;
    }
    out.push(route);
  }
  return out;
}
