import type { Ipv4Conf, NetConf, Sysctls } from '../schema/sysctls.ts';
import type { LinkEntry, NetnsEntry } from '../topology/snapshotIndex.ts';

type V4Key = Exclude<keyof Ipv4Conf, never>;

const byName = new WeakMap<Sysctls, Map<string, NetConf>>();

/** A device's own configuration, or undefined where the namespace's sysctls were not collected. */
function deviceConf(le: LinkEntry): NetConf | undefined {
  const s = le.netns.ns.sysctls;
  if (!s) return undefined;
  let map = byName.get(s);
  if (!map) byName.set(s, (map = new Map(s.devices.map((d) => [d.name, d.conf]))));
  return map.get(le.link.name);
}

/** The namespace's `net.ipv4.conf.all.<key>`, or undefined where it was not collected. */
const allV4 = (ns: NetnsEntry, key: V4Key): number | undefined => ns.ns.sysctls?.all.ipv4?.[key];

/**
 * `IN_DEV_MAXCONF` (include/linux/inetdevice.h): the larger of `all` and the device's value, as the
 * kernel reads rp_filter, arp_ignore and arp_announce. Undefined when either was not collected.
 */
export function confMax(le: LinkEntry, key: V4Key): number | undefined {
  const all = allV4(le.netns, key);
  const dev = deviceConf(le)?.ipv4?.[key];
  return all === undefined || dev === undefined ? undefined : Math.max(all, dev);
}

/**
 * `IN_DEV_ORCONF`: on when `all` or the device says so (accept_local, route_localnet, proxy_arp,
 * arp_filter). Known as soon as one of them is on; undefined when it cannot be told.
 */
export function confOr(le: LinkEntry, key: V4Key): boolean | undefined {
  const all = allV4(le.netns, key);
  const dev = deviceConf(le)?.ipv4?.[key];
  if ((all ?? 0) !== 0 || (dev ?? 0) !== 0) return true;
  return all === undefined || dev === undefined ? undefined : false;
}

/** `IN_DEV_CONF_GET`: the device's own value (IPv4 `forwarding` is read this way). */
export const confDev = (le: LinkEntry, key: V4Key): number | undefined => deviceConf(le)?.ipv4?.[key];

/** `net.ipv6.conf.<dev>.disable_ipv6`: the device's own value. */
export const ipv6Disabled = (le: LinkEntry): boolean | undefined => {
  const v = deviceConf(le)?.ipv6?.disableIpv6;
  return v === undefined ? undefined : v !== 0;
};

/**
 * Whether IPv6 packets arriving at a device are forwarded (`ip6_forward`): `conf.all.forwarding`,
 * or the device's `force_forwarding` (6.17+). A device's own `forwarding` does not forward.
 */
export function ipv6Forwards(le: LinkEntry): boolean | undefined {
  const all = le.netns.ns.sysctls?.all.ipv6?.forwarding;
  const force = deviceConf(le)?.ipv6?.forceForwarding;
  if ((all ?? 0) !== 0 || (force ?? 0) !== 0) return true;
  return all === undefined ? undefined : false;
}

/** The sysctl's value as `all=A dev=D`, for reasons. */
export function confText(le: LinkEntry, key: V4Key): string {
  const all = allV4(le.netns, key);
  const dev = deviceConf(le)?.ipv4?.[key];
  return `all=${all ?? '?'}, ${le.link.name}=${dev ?? '?'}`;
}
