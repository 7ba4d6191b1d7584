import type { Address } from '../schema/inventory.ts';

/**
 * Whether the kernel treats an address as the namespace's own (`ipv6_chk_addr`): an IPv6 address
 * still in duplicate address detection (`tentative`, unless `optimistic`) or one whose detection
 * failed (`dadfailed`) has no local route, answers no neighbour solicitation and sources nothing.
 */
export const usableAddress = (a: Pick<Address, 'flags'>): boolean =>
  a.flags === undefined ||
  !(a.flags.includes('dadfailed') || (a.flags.includes('tentative') && !a.flags.includes('optimistic')));

/** Why an address is not usable, for a hop's text; undefined for a usable one. */
export function unusableWhy(a: Pick<Address, 'flags'>): string | undefined {
  if (usableAddress(a)) return undefined;
  return a.flags?.includes('dadfailed')
    ? 'dadfailed: another host holds it, duplicate address detection failed'
    : 'tentative: duplicate address detection has not finished';
}
