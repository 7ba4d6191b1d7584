import Type from 'typebox';
import type { KindData, LinkStats, SlaveData } from '@hoplens/model';
import { parseJsonOutput } from './ipJson.ts';
import { bridgeData, portFlags, STACKED, type ParsedLink } from './linkFields.ts';

const Counter = Type.Integer({ minimum: 0 });

const IpLinkSchema = Type.Array(
  Type.Object({
    ifindex: Type.Integer({ minimum: 0 }),
    ifname: Type.String(),
    flags: Type.Array(Type.String()),
    mtu: Type.Integer({ minimum: 0 }),
    operstate: Type.Optional(Type.String()),
    link_type: Type.String(),
    address: Type.Optional(Type.String()),
    link_index: Type.Optional(Type.Integer()),
    /** The peer by name: what `ip` prints instead of link_index when both ends share the namespace. */
    link: Type.Optional(Type.String()),
    link_netnsid: Type.Optional(Type.Integer()),
    master: Type.Optional(Type.String()),
    promiscuity: Type.Optional(Type.Integer()),
    stats64: Type.Optional(
      Type.Object({
        rx: Type.Object({
          bytes: Counter,
          packets: Counter,
          errors: Counter,
          dropped: Counter,
          otherhost_dropped: Type.Optional(Counter),
        }),
        tx: Type.Object({ bytes: Counter, packets: Counter, errors: Counter, dropped: Counter }),
      }),
    ),
    linkinfo: Type.Optional(
      Type.Object({
        info_kind: Type.Optional(Type.String()),
        info_data: Type.Optional(
          Type.Object({
            id: Type.Optional(Type.Integer()),
            remote: Type.Optional(Type.String()),
            local: Type.Optional(Type.String()),
            link: Type.Optional(Type.String()),
            port: Type.Optional(Type.Integer()),
            port_range: Type.Optional(
              Type.Object({
                low: Type.Integer({ minimum: 0, maximum: 65535 }),
                high: Type.Integer({ minimum: 0, maximum: 65535 }),
              }),
            ),
            learning: Type.Optional(Type.Boolean()),
            mode: Type.Optional(Type.String()),
            // ipvlan's flag, as `ip` prints it: one boolean key (vlan's `flags` is an array, left alone).
            private: Type.Optional(Type.Boolean()),
            vepa: Type.Optional(Type.Boolean()),
            type: Type.Optional(Type.String()),
            protocol: Type.Optional(Type.String()),
            // A bridge's VLAN settings (the protocol and default PVID only where the kernel filters VLANs).
            vlan_filtering: Type.Optional(Type.Integer()),
            vlan_protocol: Type.Optional(Type.String()),
            vlan_default_pvid: Type.Optional(Type.Integer({ minimum: 0, maximum: 4095 })),
          }),
        ),
        info_slave_kind: Type.Optional(Type.String()),
        info_slave_data: Type.Optional(
          Type.Object({
            state: Type.Optional(Type.String()),
            hairpin: Type.Optional(Type.Boolean()),
            learning: Type.Optional(Type.Boolean()),
            flood: Type.Optional(Type.Boolean()),
            mcast_flood: Type.Optional(Type.Boolean()),
            bcast_flood: Type.Optional(Type.Boolean()),
            isolated: Type.Optional(Type.Boolean()),
          }),
        ),
      }),
    ),
  }),
);

/** Parses `ip -d -j link show`. */
export function parseLinks(text: string): ParsedLink[] {
  const parsed = parseJsonOutput(IpLinkSchema, text, 'ip -d -j link');
  const ifindexOf = new Map(parsed.map((l) => [l.ifname, l.ifindex]));
  return parsed.map((l) => {
    const kind = l.linkinfo?.info_kind ?? (l.link_type === 'loopback' ? 'loopback' : 'device');
    const data = l.linkinfo?.info_data;
    const kindData = kindDataOf(kind, data);
    const slave = slaveOf(l.linkinfo?.info_slave_kind, l.linkinfo?.info_slave_data);
    const stats = l.stats64 && statsOf(l.stats64);
    const link = {
      ifindex: l.ifindex,
      name: l.ifname,
      kind,
      mac: l.address && /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(l.address) ? l.address.toLowerCase() : null,
      mtu: l.mtu,
      adminUp: l.flags.includes('UP'),
      carrier: l.flags.includes('LOWER_UP'),
      operstate: l.operstate ?? 'UNKNOWN',
      promiscuous: l.flags.includes('PROMISC') || (l.promiscuity ?? 0) > 0,
      ...(l.flags.includes('NOARP') ? { noarp: true as const } : {}),
      ...(kindData ? { kindData } : {}),
      ...(slave ? { slave } : {}),
      ...(stats ? { stats } : {}),
    };
    const peerIndex = l.link_index ?? (l.link !== undefined ? ifindexOf.get(l.link) : undefined);
    const other =
      peerIndex === undefined
        ? undefined
        : { ifindex: peerIndex, ...(l.link_netnsid !== undefined ? { nsid: l.link_netnsid } : {}) };
    const peer = kind === 'veth' ? other : undefined;
    const parent = STACKED.has(kind) ? other : undefined;
    const vxlan =
      kind === 'vxlan' && data?.id !== undefined
        ? {
            vni: data.id,
            port: data.port ?? 8472,
            ...(data.port_range && (data.port_range.low !== 0 || data.port_range.high !== 0)
              ? { srcPorts: data.port_range }
              : {}),
            learning: data.learning ?? true,
            ...(data.remote !== undefined ? { remote: data.remote } : {}),
            ...(data.local !== undefined ? { local: data.local } : {}),
            ...(data.link !== undefined ? { underlayName: data.link } : {}),
            // For VXLAN, IFLA_LINK_NETNSID is the namespace of the device's socket (vxlan_get_link_net).
            ...(l.link_netnsid !== undefined ? { socketNsid: l.link_netnsid } : {}),
          }
        : undefined;
    return {
      link,
      ...(l.master ? { master: l.master } : {}),
      ...(peer ? { peer } : {}),
      ...(parent ? { parent } : {}),
      ...(vxlan ? { vxlan } : {}),
    };
  });
}

type InfoData = {
  id?: number;
  remote?: string;
  port?: number;
  mode?: string;
  private?: boolean;
  vepa?: boolean;
  type?: string;
  protocol?: string;
  vlan_filtering?: number;
  vlan_protocol?: string;
  vlan_default_pvid?: number;
};

function kindDataOf(kind: string, d: InfoData | undefined): KindData | undefined {
  if (!d) return undefined;
  switch (kind) {
    case 'vlan':
      return d.id === undefined ? undefined : { kind, id: d.id, protocol: d.protocol ?? '802.1Q' };
    case 'ipvlan':
      // IFLA_IPVLAN_FLAGS: `ip` prints `"private": true` or `"vepa": true`, else `"bridge": true`.
      return d.mode === undefined
        ? undefined
        : { kind, mode: d.mode, flags: d.private ? 'private' : d.vepa ? 'vepa' : 'bridge' };
    case 'macvlan':
    case 'bond':
      return d.mode === undefined ? undefined : { kind, mode: d.mode };
    case 'bridge':
      return d.vlan_filtering === undefined
        ? undefined
        : bridgeData(d.vlan_filtering !== 0, d.vlan_protocol, d.vlan_default_pvid);
    case 'tun':
      return d.type === 'tun' || d.type === 'tap' ? { kind, type: d.type } : undefined;
    case 'geneve':
      return d.id === undefined
        ? undefined
        : {
            kind,
            vni: d.id,
            ...(d.remote !== undefined ? { remote: d.remote } : {}),
            ...(d.port !== undefined ? { port: d.port } : {}),
          };
    default:
      return undefined;
  }
}

/** What `ip -d -j link` prints of a port: its STP state, hairpin and flags; a bond slave's state. */
interface SlaveJson {
  state?: string;
  hairpin?: boolean;
  learning?: boolean;
  flood?: boolean;
  mcast_flood?: boolean;
  bcast_flood?: boolean;
  isolated?: boolean;
}

/** A bridge port's STP state, hairpin and flags, a bond slave's state, as `ip -d -j link` prints them. */
export function slaveOf(kind: string | undefined, d: SlaveJson | undefined): SlaveData | undefined {
  if (!d?.state) return undefined;
  if (kind === 'bridge') {
    const flags = portFlags({
      learning: d.learning,
      flood: d.flood,
      mcastFlood: d.mcast_flood,
      bcastFlood: d.bcast_flood,
      isolated: d.isolated,
    });
    return { kind, state: d.state.toLowerCase(), hairpin: d.hairpin ?? false, ...(flags ? { flags } : {}) };
  }
  const state = d.state.toLowerCase();
  return kind === 'bond' && (state === 'active' || state === 'backup') ? { kind, state } : undefined;
}

type Stats64 = {
  rx: { bytes: number; packets: number; errors: number; dropped: number; otherhost_dropped?: number };
  tx: { bytes: number; packets: number; errors: number; dropped: number };
};

function statsOf({ rx, tx }: Stats64): LinkStats {
  return {
    rxPackets: rx.packets,
    rxBytes: rx.bytes,
    rxErrors: rx.errors,
    rxDropped: rx.dropped,
    txPackets: tx.packets,
    txBytes: tx.bytes,
    txErrors: tx.errors,
    txDropped: tx.dropped,
    ...(rx.otherhost_dropped !== undefined ? { rxOtherhostDropped: rx.otherhost_dropped } : {}),
  };
}
