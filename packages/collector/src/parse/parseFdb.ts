import Type from 'typebox';
import type { FdbEntry } from '@hoplens/model';
import { checked, isIp, isMac, parseJsonOutput } from './ipJson.ts';

const BridgeFdbSchema = Type.Array(
  Type.Object({
    mac: Type.String(),
    ifname: Type.String(),
    ifindex: Type.Optional(Type.Integer()),
    master: Type.Optional(Type.String()),
    vlan: Type.Optional(Type.Integer()),
    dst: Type.Optional(Type.String()),
    src_vni: Type.Optional(Type.Integer()),
    vni: Type.Optional(Type.Integer()),
    flags: Type.Optional(Type.Array(Type.String())),
    state: Type.Optional(Type.String()),
  }),
);

/** Parses `bridge -j fdb show`: bridge ports' learnt and static MACs, and VXLAN remote entries. */
export function parseFdb(text: string): FdbEntry[] {
  return parseJsonOutput(BridgeFdbSchema, text, 'bridge -j fdb').map((e) => ({
    mac: checked('bridge -j fdb', 'mac', e.mac, isMac).toLowerCase(),
    dev: e.ifname,
    ...(e.master !== undefined ? { master: e.master } : {}),
    ...(e.vlan !== undefined ? { vlan: e.vlan } : {}),
    ...(e.dst !== undefined ? { dst: checked('bridge -j fdb', 'dst', e.dst, isIp) } : {}),
    ...(e.vni !== undefined ? { vni: e.vni } : {}),
    flags: e.flags ?? [],
    state: e.state || 'dynamic',
  }));
}
