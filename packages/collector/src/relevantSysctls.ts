import type { Sysctls } from '@hoplens/model';

/**
 * A namespace's sysctls without the values that cannot weigh on any packet there, which the netlink
 * helper does not read (each costs it a lookup in /proc/sys/net that grows with the machine's
 * namespaces: ~80 µs on a 250-pod node) and the iproute2 backend's grep reads anyway, so that both
 * backends give the same snapshot:
 * - br_netfilter's bridge-nf-call-* act only on the bridges of their own namespace: kept where the
 *   namespace holds a Linux bridge;
 * - nf_conntrack_max only weighs against a count of entries (a full table): kept where the
 *   namespace tracks any.
 */
export function relevantSysctls(sysctls: Sysctls, hasBridge: boolean): Sysctls {
  const out = { ...sysctls };
  if (!hasBridge) {
    delete out.bridgeNfCallIptables;
    delete out.bridgeNfCallIp6tables;
    delete out.bridgeNfCallArptables;
  }
  if (out.conntrackCount === 0) delete out.conntrackMax;
  return out;
}
