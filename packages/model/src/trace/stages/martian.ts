import { parseIp } from '../../net/ip.ts';
import type { LinkEntry } from '../../topology/snapshotIndex.ts';
import { confOr } from '../netConf.ts';
import type { Outcome } from '../outcome.ts';
import type { IpPacket } from '../packet.ts';
import type { Walk } from '../walk.ts';

const inNet = (ip: bigint, net: number, bits: number): boolean =>
  Number(ip >> BigInt(32 - bits)) === net >>> (32 - bits);

/**
 * The martian checks that open the IPv4 input routing decision (`ip_route_input_slow`): a source
 * that is multicast, limited broadcast or 0.0.0.0/8 is invalid; a destination in 0.0.0.0/8 too; a
 * loopback (127.0.0.0/8) source or destination arriving from a device is dropped unless
 * route_localnet is on (`all` or the device). Returns undefined when the packet is not a martian.
 */
export function martian(w: Walk, iif: LinkEntry, pkt: IpPacket): Outcome | undefined {
  const src = pkt.src === undefined ? undefined : parseIp(pkt.src);
  const dst = parseIp(pkt.dst);
  if (!src || !dst || src.family !== 4 || dst.family !== 4) return undefined;
  const stop = (verdict: 'dropped' | 'unknown', reason: string, dropReason?: string): Outcome =>
    w.stop({ ns: iif.netns, link: iif, component: 'routing', verdict, reason, dropReason });
  if (inNet(src.value, 0xe0000000, 4) || src.value === 0xffffffffn || inNet(src.value, 0, 8)) {
    return stop('dropped', `source ${pkt.src} is not a valid unicast source: a martian, dropped`, 'IP_INVALID_SOURCE');
  }
  if (inNet(dst.value, 0, 8))
    return stop('dropped', `destination ${pkt.dst} is in 0.0.0.0/8: a martian, dropped`, 'IP_INVALID_DEST');
  const loop = inNet(dst.value, 0x7f000000, 8) ? 'destination' : inNet(src.value, 0x7f000000, 8) ? 'source' : undefined;
  if (!loop) return undefined;
  const localnet = confOr(iif, 'routeLocalnet');
  if (localnet) return undefined;
  const why = `a loopback ${loop} (${loop === 'source' ? pkt.src : pkt.dst}) arriving at ${iif.link.name}`;
  if (localnet === undefined)
    return stop(
      'unknown',
      `route_localnet of ${iif.link.name} was not collected, and it decides ${why} — route_localnet off: it would be dropped (IP_LOCALNET); on: it would pass`,
    );
  return stop('dropped', `${why} with route_localnet off: dropped`, 'IP_LOCALNET');
}
