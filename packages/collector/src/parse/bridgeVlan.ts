import type { BridgeVlan } from '@hoplens/model';
import type { ParsedLink } from './linkFields.ts';

// Bridge VLANs as both backends give them (parseBridgeVlans from `bridge -j vlan`, decodeBridgeVlans
// from netlink), apart from the schema library that checks iproute2's JSON.

/** One run of VLANs as both backends give it (a run of one has no `vidEnd`). */
export function bridgeVlan(vid: number, vidEnd: number | undefined, flags: readonly string[]): BridgeVlan {
  return {
    vid,
    ...(vidEnd !== undefined && vidEnd !== vid ? { vidEnd } : {}),
    pvid: flags.includes('PVID'),
    untagged: flags.includes('Egress Untagged'),
  };
}

/**
 * Links with their bridge VLANs, matched by `keyOf` (a name for iproute2, an ifindex for netlink):
 * every VLAN-filtering bridge and each of its ports gets a list, empty where it carries none (the
 * kernel then drops all it takes there). `vlans` is undefined where they could not be listed: the
 * lists stay absent, and the tracer says it cannot tell.
 */
export function withBridgeVlans<K>(
  links: ParsedLink[],
  vlans: ReadonlyMap<K, BridgeVlan[]> | undefined,
  keyOf: (l: ParsedLink['link']) => K,
): ParsedLink[] {
  const filtering = new Set(
    links.filter((l) => l.link.kindData?.kind === 'bridge' && l.link.kindData.vlanFiltering).map((l) => l.link.name),
  );
  if (vlans === undefined || filtering.size === 0) return links;
  return links.map((p) =>
    filtering.has(p.link.name) || (p.master !== undefined && filtering.has(p.master))
      ? { ...p, link: { ...p.link, bridgeVlans: vlans.get(keyOf(p.link)) ?? [] } }
      : p,
  );
}
