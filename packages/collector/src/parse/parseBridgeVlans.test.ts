import { describe, expect, it } from 'vitest';
import { decodeBridgeVlans } from '../netlink/decodeBridgeVlans.ts';
import { withBridgeVlans } from './bridgeVlan.ts';
import type { ParsedLink } from './linkFields.ts';
import { parseBridgeVlans } from './parseBridgeVlans.ts';

// This kernel has no CONFIG_BRIDGE_VLAN_FILTERING, so neither output can be recorded from the lab:
// the text is what iproute2 6.1's bridge/vlan.c prints (print_range, bridge_print_vlan_flags) and
// the bytes are what br_fill_vlan_info_compressed sends, built here field by field.
const SHOW = JSON.stringify([
  {
    ifname: 'veth1',
    vlans: [
      { vlan: 100, flags: ['PVID', 'Egress Untagged'] },
      { vlan: 200, vlanEnd: 210 },
    ],
  },
  { ifname: 'cni0', vlans: [{ vlan: 1, flags: ['PVID', 'Egress Untagged'] }] },
]);

/** One RTM_NEWLINK (AF_BRIDGE) for `ifindex` whose IFLA_AF_SPEC holds these bridge_vlan_info entries. */
function linkMessage(ifindex: number, infos: [flags: number, vid: number][]): DataView {
  const specLen = 4 + infos.length * 8;
  const len = 16 + 16 + specLen;
  const v = new DataView(new ArrayBuffer(len + 20));
  v.setUint32(0, len, true);
  v.setUint16(4, 16, true); // RTM_NEWLINK
  v.setUint8(16, 7); // AF_BRIDGE
  v.setInt32(20, ifindex, true);
  v.setUint16(32, specLen, true);
  v.setUint16(34, 26 | 0x8000, true); // IFLA_AF_SPEC, nested
  infos.forEach(([flags, vid], i) => {
    v.setUint16(36 + i * 8, 8, true);
    v.setUint16(38 + i * 8, 2, true); // IFLA_BRIDGE_VLAN_INFO
    v.setUint16(40 + i * 8, flags, true);
    v.setUint16(42 + i * 8, vid, true);
  });
  v.setUint32(len, 20, true);
  v.setUint16(len + 4, 3, true); // NLMSG_DONE
  return v;
}

describe('bridge VLANs', () => {
  it('reads each port’s VLANs from bridge -c -j vlan show, runs and flags included', () => {
    expect(parseBridgeVlans(SHOW)).toEqual(
      new Map([
        [
          'veth1',
          [
            { vid: 100, pvid: true, untagged: true },
            { vid: 200, vidEnd: 210, pvid: false, untagged: false },
          ],
        ],
        ['cni0', [{ vid: 1, pvid: true, untagged: true }]],
      ]),
    );
  });

  it('decodes the compressed AF_BRIDGE dump into the same VLANs, a range from its begin and end entries', () => {
    const dump = [
      linkMessage(5, [
        [2 | 4, 100],
        [8, 200],
        [16, 210],
      ]),
      linkMessage(3, [[2 | 4 | (1 << 5), 1]]),
    ];
    const byName = parseBridgeVlans(SHOW);
    expect(decodeBridgeVlans(dump)).toEqual(
      new Map([
        [5, byName.get('veth1')],
        [3, byName.get('cni0')],
      ]),
    );
  });

  it('refuses a VLAN id outside 1-4094 and output that is not the expected shape', () => {
    expect(() => parseBridgeVlans('[{"ifname":"a","vlans":[{"vlan":4095}]}]')).toThrow(/bridge -j vlan/);
    expect(() => parseBridgeVlans('{"oops":1}')).toThrow(/bridge -j vlan/);
  });

  it('gives every port of a filtering bridge a list, empty where it carries no VLAN, and nothing where none could be read', () => {
    const link = (name: string, ifindex: number, extra: Partial<ParsedLink['link']> = {}): ParsedLink['link'] => ({
      ifindex,
      name,
      kind: 'veth',
      mac: null,
      mtu: 1500,
      adminUp: true,
      carrier: true,
      operstate: 'UP',
      promiscuous: false,
      ...extra,
    });
    const links: ParsedLink[] = [
      { link: link('cni0', 3, { kind: 'bridge', kindData: { kind: 'bridge', vlanFiltering: true } }) },
      { link: link('veth1', 5), master: 'cni0' },
      { link: link('veth2', 6), master: 'cni0' },
      { link: link('eth0', 2) },
    ];
    const out = withBridgeVlans(links, parseBridgeVlans(SHOW), (l) => l.name);
    expect(out.map((l) => l.link.bridgeVlans?.length)).toEqual([1, 2, 0, undefined]);
    expect(withBridgeVlans(links, undefined, (l) => l.name)).toBe(links);
  });
});
