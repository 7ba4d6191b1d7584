import { addressPrefix } from '../net/addressPrefix.ts';
import { parseIp, prefixContains } from '../net/ip.ts';
import type { Address } from '../schema/inventory.ts';
import type { LinkEntry } from '../topology/snapshotIndex.ts';

/** A device's own IPv4 addresses. */
export const addressesOn = (le: LinkEntry): Address[] =>
  le.netns.ns.addresses.filter((a) => a.ifindex === le.link.ifindex && a.family === 'inet');

/** Does the subnet of address `a` hold `ip`? */
export function inSubnet(a: Address, ip: string): boolean {
  const p = addressPrefix(a);
  const v = parseIp(ip);
  return !!p && !!v && prefixContains(p, v);
}

/** The IPv4 address of a device whose subnet holds `ip` (the first), if any: `ip` is on its link. */
export const onLinkAddress = (le: LinkEntry, ip: string): Address | undefined =>
  addressesOn(le).find((a) => inSubnet(a, ip));
