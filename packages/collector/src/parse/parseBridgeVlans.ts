import Type from 'typebox';
import type { BridgeVlan } from '@hoplens/model';
import { parseJsonOutput } from './ipJson.ts';
import type { ParsedLink } from './parseLinks.ts';

const Vid = Type.Integer({ minimum: 1, maximum: 4094 });

/** `bridge -c -j vlan show` (iproute2 >= 5.x): one object per port, its VLANs as runs with flags. */
const BridgeVlanShowSchema = Type.Array(
  Type.Object({
    ifname: Type.String(),
    vlans: Type.Array(
      Type.Object({
        vlan: Vid,
        vlanEnd: Type.Optional(Vid),
        flags: Type.Optional(Type.Array(Type.String())),
      }),
      { maxItems: 4094 },
    ),
  }),
);

/**
 * Parses `bridge -c -j vlan show`: each bridge port's (and each bridge's own) VLANs, by device
 * name. `PVID` and `Egress Untagged` are the only flags it prints.
 */
export function parseBridgeVlans(text: string): Map<string, BridgeVlan[]> {
  const out = new Map<string, BridgeVlan[]>();
  for (const port of parseJsonOutput(BridgeVlanShowSchema, text, 'bridge -j vlan')) {
    const vlans = port.vlans.map((v) => bridgeVlan(v.vlan, v.vlanEnd, v.flags ?? []));
    out.set(port.ifname, [...(out.get(port.ifname) ?? []), ...vlans]);
  }
  return out;
}

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
