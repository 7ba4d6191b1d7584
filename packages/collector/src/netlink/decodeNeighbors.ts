import type { FdbEntry, Neighbor, ProxyNeighbor } from '@hoplens/model';
import { attrs, messagesOfType, type Attrs } from './rtattr.ts';
import { ntfNames, nudNames } from './names.ts';

const RTM_NEWNEIGH = 28;
const NDA = { DST: 1, LLADDR: 2, VLAN: 5, VNI: 7, MASTER: 9 };
const AF_BRIDGE = 7;
const NUD_NOARP = 0x40;
const NUD_PERMANENT = 0x80;
const NUD_STALE = 0x04;
const NTF_PROXY = 0x08;
const NTF_EXT_LEARNED = 0x10;

interface Ndmsg {
  readonly family: number;
  readonly ifindex: number;
  readonly state: number;
  readonly flags: number;
  readonly a: Attrs;
}

/**
 * The neighbour messages of the dumps. An array, not a generator: a one-shot `collect` runs this
 * unoptimized, where resuming a generator per message costs more than decoding it (see messages).
 */
function ndmsgs(buffers: readonly DataView[]): Ndmsg[] {
  const out: Ndmsg[] = [];
  const msgs = messagesOfType(buffers, RTM_NEWNEIGH);
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i]!;
    const b = m.body;
    out.push({
      family: b.getUint8(0),
      ifindex: b.getInt32(4, true),
      state: b.getUint16(8, true),
      flags: b.getUint8(10),
      a: attrs(b, 12),
    });
  }
  return out;
}

/**
 * ARP and NDP entries as `parseNeighbors` reads `ip -j neigh show`, which by default leaves out
 * NOARP entries and entries with no state.
 */
export function decodeNeighbors(buffers: readonly DataView[], nameOf: (ifindex: number) => string): Neighbor[] {
  const out: Neighbor[] = [];
  for (const n of ndmsgs(buffers)) {
    if (n.family === AF_BRIDGE) continue;
    const shown = (n.state & 0xff & ~NUD_NOARP) !== 0 || (n.flags & (NTF_PROXY | NTF_EXT_LEARNED)) !== 0;
    const ip = n.a.ip(NDA.DST);
    if (!shown || ip === undefined) continue;
    const lladdr = n.a.mac(NDA.LLADDR);
    const neighbor: Omit<Neighbor, 'state'> & Partial<Neighbor> = { ip, dev: nameOf(n.ifindex) };
    if (lladdr !== undefined) neighbor.mac = lladdr;
    neighbor.state = nudNames(n.state);
    out.push(neighbor as Neighbor); // state is set just above
  }
  return out;
}

/** Proxy entries (the pneigh dump) as `ip -j neigh show proxy` prints them: an entry for any device has none. */
export function decodeProxyNeighbors(
  buffers: readonly DataView[],
  nameOf: (ifindex: number) => string,
): ProxyNeighbor[] {
  const out: ProxyNeighbor[] = [];
  for (const n of ndmsgs(buffers)) {
    const ip = n.a.ip(NDA.DST);
    if ((n.flags & NTF_PROXY) === 0 || ip === undefined) continue;
    out.push({ ip, ...(n.ifindex > 0 ? { dev: nameOf(n.ifindex) } : {}) });
  }
  return out;
}

/** AF_BRIDGE neighbour entries as `bridge -j fdb show` prints them. */
export function decodeFdb(buffers: readonly DataView[], nameOf: (ifindex: number) => string): FdbEntry[] {
  const out: FdbEntry[] = [];
  for (const n of ndmsgs(buffers)) {
    if (n.family !== AF_BRIDGE) continue;
    const address = n.a.mac(NDA.LLADDR);
    if (address === undefined) continue;
    const master = n.a.u32(NDA.MASTER);
    const vlan = n.a.u16(NDA.VLAN);
    const dst = n.a.ip(NDA.DST);
    const vni = n.a.u32(NDA.VNI);
    // Keys set in place, in `bridge -j fdb`'s order (see decodeRoutes).
    const entry: Omit<FdbEntry, 'flags' | 'state'> & Partial<FdbEntry> = { mac: address, dev: nameOf(n.ifindex) };
    if (master) entry.master = nameOf(master);
    if (vlan !== undefined) entry.vlan = vlan;
    if (dst !== undefined) entry.dst = dst;
    if (vni !== undefined) entry.vni = vni;
    entry.flags = ntfNames(n.flags);
    entry.state =
      n.state & NUD_PERMANENT
        ? 'permanent'
        : n.state & NUD_NOARP
          ? 'static'
          : n.state & NUD_STALE
            ? 'stale'
            : 'dynamic';
    out.push(entry as FdbEntry); // flags and state are set just above
  }
  return out;
}
