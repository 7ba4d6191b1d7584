import type { BridgeVlan } from '@hoplens/model';
import { bridgeVlan } from '../parse/bridgeVlan.ts';
import { align4, attrs, messages, NetlinkFormatError } from './rtattr.ts';

const RTM_NEWLINK = 16;
const IFLA_AF_SPEC = 26;
const IFLA_BRIDGE_VLAN_INFO = 2;
/** struct bridge_vlan_info's flags (include/uapi/linux/if_bridge.h). */
const VLAN_INFO = { PVID: 1 << 1, UNTAGGED: 1 << 2, RANGE_BEGIN: 1 << 3, RANGE_END: 1 << 4 };

/**
 * The AF_BRIDGE link dump with RTEXT_FILTER_BRVLAN_COMPRESSED (what `bridge -c vlan show` asks):
 * each bridge port's and each bridge's own VLANs, by ifindex, as `parseBridgeVlans` reads
 * `bridge -c -j vlan show`. A run comes as a RANGE_BEGIN entry and a RANGE_END one with the same flags.
 */
export function decodeBridgeVlans(buffers: readonly DataView[]): Map<number, BridgeVlan[]> {
  const out = new Map<number, BridgeVlan[]>();
  for (const buf of buffers) {
    for (const m of messages(buf)) {
      if (m.type !== RTM_NEWLINK || m.body.byteLength < 16) continue;
      const ifindex = m.body.getInt32(4, true);
      const spec = attrs(m.body, 16).get(IFLA_AF_SPEC);
      if (!spec) continue;
      const vlans = vlanInfos(spec);
      if (vlans.length > 0) out.set(ifindex, [...(out.get(ifindex) ?? []), ...vlans]);
    }
  }
  return out;
}

/** Every IFLA_BRIDGE_VLAN_INFO in an IFLA_AF_SPEC, in order (the type repeats, so each is read). */
function vlanInfos(spec: DataView): BridgeVlan[] {
  const out: BridgeVlan[] = [];
  let begin: number | undefined;
  for (let off = 0; off + 4 <= spec.byteLength;) {
    const len = spec.getUint16(off, true);
    if (len < 4 || off + len > spec.byteLength) throw new NetlinkFormatError(`bridge attribute of ${len} bytes`);
    if ((spec.getUint16(off + 2, true) & 0x3fff) === IFLA_BRIDGE_VLAN_INFO && len >= 8) {
      const flags = spec.getUint16(off + 4, true);
      const vid = spec.getUint16(off + 6, true);
      if (flags & VLAN_INFO.RANGE_BEGIN) begin = vid;
      else {
        const names = [
          ...(flags & VLAN_INFO.PVID ? ['PVID'] : []),
          ...(flags & VLAN_INFO.UNTAGGED ? ['Egress Untagged'] : []),
        ];
        const first = flags & VLAN_INFO.RANGE_END && begin !== undefined ? begin : vid;
        if (first >= 1 && vid <= 4094 && first <= vid) out.push(bridgeVlan(first, vid, names));
        begin = undefined;
      }
    }
    off += align4(len);
  }
  return out;
}
