import type { KindData, LinkStats, SlaveData } from '@hoplens/model';
import { bridgeData, portFlags, STACKED, type ParsedLink } from '../parse/linkFields.ts';
import type { LinkMessage } from './linkMessages.ts';
import { attrs, be16, ipAddress, u16, u32, u8, type Attrs } from './rtattr.ts';

/** A MAC address as `ip` prints an Ethernet one: other link-layer addresses are not kept. */
const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;
const IFLA = {
  ADDRESS: 1,
  IFNAME: 3,
  MTU: 4,
  LINK: 5,
  MASTER: 10,
  LINKINFO: 18,
  OPERSTATE: 16,
  STATS64: 23,
  PROMISCUITY: 30,
  LINK_NETNSID: 37,
};
const INFO = { KIND: 1, DATA: 2, SLAVE_KIND: 4, SLAVE_DATA: 5 };
/** IFLA_BRPORT_STATE, _MODE (hairpin) and the port's flags; IFLA_BOND_SLAVE_STATE. */
const BRPORT = { STATE: 1, MODE: 4, LEARNING: 8, UNICAST_FLOOD: 9, MCAST_FLOOD: 27, BCAST_FLOOD: 30, ISOLATED: 33 };
const BRPORT_STATES = ['disabled', 'listening', 'learning', 'forwarding', 'blocking'];
const BOND_SLAVE_STATE = 1;
const VXLAN = { ID: 1, GROUP: 2, LINK: 3, LOCAL: 4, LEARNING: 7, PORT_RANGE: 10, PORT: 15, GROUP6: 16, LOCAL6: 17 };
const VLAN = { ID: 1, PROTOCOL: 5 };
/** IFLA_BR_VLAN_FILTERING (u8), _PROTOCOL (be16), _DEFAULT_PVID (u16). */
const BR = { VLAN_FILTERING: 7, VLAN_PROTOCOL: 8, VLAN_DEFAULT_PVID: 39 };
const GENEVE = { ID: 1, REMOTE: 2, PORT: 5, REMOTE6: 7 };
const MACVLAN_MODES: Record<number, string> = { 1: 'private', 2: 'vepa', 4: 'bridge', 8: 'passthru', 16: 'source' };
const IPVLAN_MODES = ['l2', 'l3', 'l3s'];
const BOND_MODES = ['balance-rr', 'active-backup', 'balance-xor', 'broadcast', '802.3ad', 'balance-tlb', 'balance-alb'];
const IFF_UP = 0x1;
const IFF_NOARP = 0x80;
const IFF_PROMISC = 0x100;
const IFF_LOWER_UP = 0x10000;
const ARPHRD_LOOPBACK = 772;
const OPERSTATES = ['UNKNOWN', 'NOTPRESENT', 'DOWN', 'LOWERLAYERDOWN', 'TESTING', 'DORMANT', 'UP'];

/** A link as read in the first pass, before the names of the links it points at are known. */
interface RawLink {
  readonly ifindex: number;
  readonly name: string;
  readonly link: ParsedLink['link'];
  readonly kind: string;
  readonly master: number | undefined;
  readonly linkIndex: number | undefined;
  readonly netnsid: number | undefined;
  readonly data: DataView | undefined;
}

/** RTM_NEWLINK messages as `parseLinks` reads `ip -d -j link show`, names resolved in this namespace. */
export function decodeLinks(messages: readonly LinkMessage[]): ParsedLink[] {
  // Plain records, then a second pass: no closure per link (a bridge node has hundreds).
  const raw: RawLink[] = [];
  for (const { body: b, attrs: a } of messages) {
    const type = b.getUint16(2, true);
    const ifindex = b.getInt32(4, true);
    const flags = b.getUint32(8, true);
    const name = a.str(IFLA.IFNAME) ?? `if${ifindex}`;
    const info = a.get(IFLA.LINKINFO);
    const infoAttrs = info ? attrs(info) : undefined;
    const kind = infoAttrs?.str(INFO.KIND) ?? (type === ARPHRD_LOOPBACK ? 'loopback' : 'device');
    const address = a.mac(IFLA.ADDRESS);
    const data = infoAttrs?.get(INFO.DATA);
    const kindData = data ? decodeKindData(kind, data) : undefined;
    const slave = decodeSlave(infoAttrs?.str(INFO.SLAVE_KIND), infoAttrs?.get(INFO.SLAVE_DATA));
    const stats = decodeStats(a.get(IFLA.STATS64));
    // Optional keys set in place, after the others as `ip -j` prints them: a conditional spread
    // per key made and copied a small object each, in code that runs unoptimized (see shortLived).
    const link: ParsedLink['link'] = {
      ifindex,
      name,
      kind,
      mac: address && MAC.test(address) ? address : null,
      mtu: a.u32(IFLA.MTU) ?? 0,
      adminUp: (flags & IFF_UP) !== 0,
      carrier: (flags & IFF_LOWER_UP) !== 0,
      operstate: OPERSTATES[a.u8(IFLA.OPERSTATE) ?? 0] ?? 'UNKNOWN',
      promiscuous: (flags & IFF_PROMISC) !== 0 || (a.u32(IFLA.PROMISCUITY) ?? 0) > 0,
    };
    if ((flags & IFF_NOARP) !== 0) link.noarp = true;
    if (kindData) link.kindData = kindData;
    if (slave) link.slave = slave;
    if (stats) link.stats = stats;
    raw.push({
      ifindex,
      name,
      link,
      kind,
      master: a.u32(IFLA.MASTER),
      linkIndex: a.u32(IFLA.LINK),
      netnsid: a.s32(IFLA.LINK_NETNSID),
      data,
    });
  }
  const names = new Map(raw.map((r) => [r.ifindex, r.name]));
  const nameOf = (i: number): string => names.get(i) ?? `if${i}`;
  return raw.map((r) => finishLink(r, nameOf));
}

/** A link with the names of its master and underlay, and what it points at (peer, parent). */
function finishLink(r: RawLink, nameOf: (i: number) => string): ParsedLink {
  const { kind, master, linkIndex, netnsid, data } = r;
  const other = linkIndex
    ? { ifindex: linkIndex, ...(netnsid !== undefined && netnsid >= 0 ? { nsid: netnsid } : {}) }
    : undefined;
  const peer = kind === 'veth' ? other : undefined;
  const parent = STACKED.has(kind) ? other : undefined;
  let vxlan: ParsedLink['vxlan'];
  if (kind === 'vxlan' && data) {
    const d = attrs(data);
    const vni = u32(d.get(VXLAN.ID));
    const group = ipAddress(d.get(VXLAN.GROUP)) ?? ipAddress(d.get(VXLAN.GROUP6));
    const local = ipAddress(d.get(VXLAN.LOCAL)) ?? ipAddress(d.get(VXLAN.LOCAL6));
    const underlay = u32(d.get(VXLAN.LINK));
    // struct ifla_vxlan_port_range: low and high, big-endian; 0 0 where none is set.
    const range = d.get(VXLAN.PORT_RANGE);
    const srcPorts =
      range && range.byteLength >= 4 && range.getUint32(0) !== 0
        ? { low: range.getUint16(0, false), high: range.getUint16(2, false) }
        : undefined;
    if (vni !== undefined) {
      vxlan = {
        vni,
        port: be16(d.get(VXLAN.PORT)) ?? 8472,
        ...(srcPorts ? { srcPorts } : {}),
        learning: (u8(d.get(VXLAN.LEARNING)) ?? 1) !== 0,
        // `ip` prints a multicast group as `group`, not `remote`.
        ...(group !== undefined && !isMulticast(group) ? { remote: group } : {}),
        ...(local !== undefined ? { local } : {}),
        ...(underlay ? { underlayName: nameOf(underlay) } : {}),
        ...(netnsid !== undefined && netnsid >= 0 ? { socketNsid: netnsid } : {}),
      };
    }
  }
  const out: { -readonly [K in keyof ParsedLink]: ParsedLink[K] } = { link: r.link };
  if (master) out.master = nameOf(master);
  if (peer) out.peer = peer;
  if (parent) out.parent = parent;
  if (vxlan) out.vxlan = vxlan;
  return out;
}

/** IFLA_INFO_DATA of the kinds whose data hoplens keeps, as `ip -d` prints it. */
function decodeKindData(kind: string, data: DataView): KindData | undefined {
  const d = attrs(data);
  switch (kind) {
    case 'vlan': {
      const id = u16(d.get(VLAN.ID));
      const proto = be16(d.get(VLAN.PROTOCOL));
      return id === undefined ? undefined : { kind, id, protocol: proto === 0x88a8 ? '802.1ad' : '802.1Q' };
    }
    case 'macvlan': {
      const mode = MACVLAN_MODES[u32(d.get(1)) ?? 0];
      return mode ? { kind, mode } : undefined;
    }
    case 'ipvlan': {
      const mode = IPVLAN_MODES[u16(d.get(1)) ?? -1];
      // IFLA_IPVLAN_FLAGS: IPVLAN_F_PRIVATE 1, IPVLAN_F_VEPA 2, neither: bridge.
      const f = u16(d.get(2)) ?? 0;
      return mode ? { kind, mode, flags: f & 1 ? 'private' : f & 2 ? 'vepa' : 'bridge' } : undefined;
    }
    case 'bond': {
      const mode = BOND_MODES[u8(d.get(1)) ?? -1];
      return mode ? { kind, mode } : undefined;
    }
    case 'bridge': {
      const filtering = u8(d.get(BR.VLAN_FILTERING));
      if (filtering === undefined) return undefined;
      const proto = be16(d.get(BR.VLAN_PROTOCOL));
      const protocol = proto === undefined ? undefined : proto === 0x88a8 ? '802.1ad' : '802.1Q';
      return bridgeData(filtering !== 0, protocol, u16(d.get(BR.VLAN_DEFAULT_PVID)));
    }
    case 'tun': {
      // IFLA_TUN_TYPE (after UNSPEC, OWNER, GROUP): IFF_TUN 1, IFF_TAP 2.
      const type = u8(d.get(3));
      return type === 1 ? { kind, type: 'tun' } : type === 2 ? { kind, type: 'tap' } : undefined;
    }
    case 'geneve': {
      const vni = u32(d.get(GENEVE.ID));
      const remote = ipAddress(d.get(GENEVE.REMOTE)) ?? ipAddress(d.get(GENEVE.REMOTE6));
      const port = be16(d.get(GENEVE.PORT));
      return vni === undefined
        ? undefined
        : { kind, vni, ...(remote !== undefined ? { remote } : {}), ...(port !== undefined ? { port } : {}) };
    }
    default:
      return undefined;
  }
}

/** IFLA_INFO_SLAVE_DATA of a bridge port or bond slave, in the shape `slaveOf` gives `ip`'s. */
function decodeSlave(kind: string | undefined, data: DataView | undefined): SlaveData | undefined {
  if (!data) return undefined;
  const d = attrs(data);
  if (kind === 'bridge') {
    const state = BRPORT_STATES[d.u8(BRPORT.STATE) ?? -1];
    if (!state) return undefined;
    const flags = portFlags({
      learning: flagOf(d, BRPORT.LEARNING),
      flood: flagOf(d, BRPORT.UNICAST_FLOOD),
      mcastFlood: flagOf(d, BRPORT.MCAST_FLOOD),
      bcastFlood: flagOf(d, BRPORT.BCAST_FLOOD),
      isolated: flagOf(d, BRPORT.ISOLATED),
    });
    const port: SlaveData = { kind, state, hairpin: (d.u8(BRPORT.MODE) ?? 0) !== 0 };
    if (flags) port.flags = flags;
    return port;
  }
  const state = u8(d.get(BOND_SLAVE_STATE));
  return kind === 'bond' && state !== undefined ? { kind, state: state === 0 ? 'active' : 'backup' } : undefined;
}

/** A bridge port's boolean flag attribute (a u8), if the kernel sent it. */
function flagOf(d: Attrs, type: number): boolean | undefined {
  const v = d.u8(type);
  return v === undefined ? undefined : v !== 0;
}

/** The i-th u64 counter of struct rtnl_link_stats64, as a number (rounded as Number(BigInt) rounds it, without the BigInt). */
const counterAt = (v: DataView, i: number): number => v.getUint32(i * 8 + 4, true) * 2 ** 32 + v.getUint32(i * 8, true);

/** struct rtnl_link_stats64: u64 counters in order; rx_otherhost_dropped is the 25th, on kernels that have it. */
function decodeStats(v: DataView | undefined): LinkStats | undefined {
  if (!v || v.byteLength < 8 * 8) return undefined;
  const stats: LinkStats = {
    rxPackets: counterAt(v, 0),
    txPackets: counterAt(v, 1),
    rxBytes: counterAt(v, 2),
    txBytes: counterAt(v, 3),
    rxErrors: counterAt(v, 4),
    txErrors: counterAt(v, 5),
    rxDropped: counterAt(v, 6),
    txDropped: counterAt(v, 7),
  };
  if (v.byteLength >= 25 * 8) stats.rxOtherhostDropped = counterAt(v, 24);
  return stats;
}

function isMulticast(ip: string): boolean {
  if (ip.includes(':')) return ip.toLowerCase().startsWith('ff');
  const first = Number(ip.split('.')[0]);
  return first >= 224 && first <= 239;
}
