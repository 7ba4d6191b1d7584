import Type from 'typebox';
import type { BridgeVlan } from '@hoplens/model';
import { parseJsonOutput } from './ipJson.ts';
import { bridgeVlan } from './bridgeVlan.ts';

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
