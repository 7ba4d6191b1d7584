import type { Ipv4Conf, Ipv6Conf, NetConf } from '@hoplens/model';
import type { LinkMessage } from './linkMessages.ts';
import { attrs } from './rtattr.ts';

const IFLA_IFNAME = 3;
const IFLA_AF_SPEC = 26;
const AF_INET = 2;
const AF_INET6 = 10;
const IFLA_INET_CONF = 1;
const IFLA_INET6_CONF = 2;
/** Index in IFLA_INET_CONF of each IPV4_DEVCONF_* (linux/ip.h; the array starts at FORWARDING = 1). */
const V4: readonly (readonly [keyof Ipv4Conf, number])[] = [
  ['forwarding', 1],
  ['proxyArp', 3],
  ['rpFilter', 8],
  ['arpFilter', 13],
  ['arpAnnounce', 18],
  ['arpIgnore', 19],
  ['acceptLocal', 23],
  ['routeLocalnet', 26],
];
/** Index in IFLA_INET6_CONF of each DEVCONF_* (linux/ipv6.h; FORWARDING = 0). */
const V6: readonly (readonly [keyof Ipv6Conf, number])[] = [
  ['forwarding', 0],
  ['disableIpv6', 26],
  // DEVCONF_FORCE_FORWARDING (6.17+): older kernels' arrays end before it.
  ['forceForwarding', 59],
];

/**
 * Each device's IPv4 and IPv6 sysctls, from the link dump itself: the kernel puts a device's whole
 * devconf in IFLA_AF_SPEC, the values `/proc/sys/net/ipv{4,6}/conf/<dev>/` shows, so the helper opens
 * no file per device. `lo` is left out, as the iproute2 backend leaves it.
 */
export function decodeDevconf(links: readonly LinkMessage[]): { name: string; conf: NetConf }[] {
  const out: { name: string; conf: NetConf }[] = [];
  for (const { attrs: a } of links) {
    const name = a.str(IFLA_IFNAME);
    const spec = a.get(IFLA_AF_SPEC);
    if (name === undefined || name === 'lo' || !spec) continue;
    const families = attrs(spec);
    const v4 = families.get(AF_INET);
    const v6 = families.get(AF_INET6);
    const ipv4 = v4 && pick(attrs(v4).get(IFLA_INET_CONF), V4, -1);
    const ipv6 = v6 && pick(attrs(v6).get(IFLA_INET6_CONF), V6, 0);
    const conf: NetConf = {};
    if (ipv4) conf.ipv4 = ipv4;
    if (ipv6) conf.ipv6 = ipv6;
    out.push({ name, conf });
  }
  return out.sort((x, y) => (x.name < y.name ? -1 : 1));
}

/** The named entries of a devconf array of 32-bit values (`shift`: the enum's offset into it). */
function pick<K extends string>(
  view: DataView | undefined,
  fields: readonly (readonly [K, number])[],
  shift: number,
): Partial<Record<K, number>> | undefined {
  if (!view) return undefined;
  const conf: Partial<Record<K, number>> = {};
  // Indexed, without destructuring (see namesOf in names.ts).
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    const off = (field[1] + shift) * 4;
    if (off + 4 <= view.byteLength) conf[field[0]] = view.getInt32(off, true);
  }
  return conf;
}
