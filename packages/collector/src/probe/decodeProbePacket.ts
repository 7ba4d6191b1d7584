import type { PacketType, ProbeMark, ProbePacketKind } from '@hoplens/model';

/** What a captured frame is to the probe. */
export interface DecodedProbePacket {
  /** Null for an IPv4 fragment after the first: what it is comes from its first piece. */
  readonly kind: ProbePacketKind | null;
  /** `icmp_seq` of the echo (or of the echo an error quotes); null for a later fragment. */
  readonly seq: number | null;
  /** The VNI when the frame is VXLAN-encapsulated. */
  readonly vni?: number;
  /** An IPv4 packet in pieces: `src>dst#id/proto`, shared by the first piece and the later ones. */
  readonly fragmentKey?: string;
}

const ETH_HEADER = 14;
const VXLAN_HEADER = 8;
const UDP_HEADER = 8;
/** iputils ping puts a struct timeval (16 bytes on 64-bit) at the start of a payload that has room. */
const PING_TIMESTAMP = 16;

/** `sll_pkttype` as the kernel numbers it (linux/if_packet.h). */
export function packetTypeName(t: number): PacketType {
  return (['host', 'broadcast', 'multicast', 'otherhost', 'outgoing'] as const)[t] ?? 'other';
}

/**
 * Decodes a frame the capture filter passed: an echo request or reply with the probe's
 * identifier and payload pattern, an ICMP error quoting one, the same inside a VXLAN tunnel, or a
 * later IPv4 fragment. Returns null for anything else (another ping that happens to share the
 * identifier fails the pattern check).
 */
export function decodeProbePacket(frame: Uint8Array, mark: ProbeMark): DecodedProbePacket | null {
  return decodeEthernet(new DataView(frame.buffer, frame.byteOffset, frame.byteLength), 0, mark, pattern(mark));
}

function pattern(mark: ProbeMark): number[] {
  return (mark.pattern.match(/../g) ?? []).map((h) => parseInt(h, 16));
}

function decodeEthernet(v: DataView, at: number, mark: ProbeMark, pat: number[]): DecodedProbePacket | null {
  if (v.byteLength < at + ETH_HEADER) return null;
  const type = v.getUint16(at + 12);
  if (type === 0x0800) return decodeIpv4(v, at + ETH_HEADER, mark, pat);
  if (type === 0x86dd) return decodeIpv6(v, at + ETH_HEADER, mark, pat);
  return null;
}

function decodeIpv4(v: DataView, ip: number, mark: ProbeMark, pat: number[]): DecodedProbePacket | null {
  if (v.byteLength < ip + 20) return null;
  const ihl = (v.getUint8(ip) & 0x0f) * 4;
  const flags = v.getUint16(ip + 6);
  const offset = flags & 0x1fff;
  const proto = v.getUint8(ip + 9);
  const fragmented = offset !== 0 || (flags & 0x2000) !== 0;
  const fragmentKey = fragmented
    ? `${v.getUint32(ip + 12)}>${v.getUint32(ip + 16)}#${v.getUint16(ip + 4)}/${proto}`
    : undefined;
  if (offset !== 0) return { kind: null, seq: null, ...(fragmentKey ? { fragmentKey } : {}) };
  const l4 = ip + ihl;
  const withKey = (p: DecodedProbePacket | null): DecodedProbePacket | null =>
    p && fragmentKey && !p.fragmentKey ? { ...p, fragmentKey } : p;
  if (proto === 1) return withKey(decodeIcmp(v, l4, ip + v.getUint16(ip + 2), mark, pat, 8, 0, [3, 11]));
  if (proto === 17 && v.byteLength >= l4 + UDP_HEADER + VXLAN_HEADER) {
    const vx = l4 + UDP_HEADER;
    // The VXLAN header's I flag says the VNI is valid (RFC 7348).
    if ((v.getUint8(vx) & 0x08) === 0) return null;
    const inner = decodeEthernet(v, vx + VXLAN_HEADER, mark, pat);
    return inner && withKey({ ...inner, vni: v.getUint32(vx + 4) >>> 8 });
  }
  return null;
}

function decodeIpv6(v: DataView, ip: number, mark: ProbeMark, pat: number[]): DecodedProbePacket | null {
  if (v.byteLength < ip + 40 || v.getUint8(ip + 6) !== 58) return null;
  return decodeIcmp(v, ip + 40, ip + 40 + v.getUint16(ip + 4), mark, pat, 128, 129, [1, 3]);
}

/** An echo (`request`/`reply` types given) with the mark, or an error (`errors` types) quoting one. */
function decodeIcmp(
  v: DataView,
  icmp: number,
  end: number,
  mark: ProbeMark,
  pat: number[],
  request: number,
  reply: number,
  errors: readonly number[],
): DecodedProbePacket | null {
  if (v.byteLength < icmp + 8) return null;
  const type = v.getUint8(icmp);
  if (type === request || type === reply) {
    if (v.getUint16(icmp + 4) !== mark.icmpId || !hasPattern(v, icmp + 8, end, pat)) return null;
    return { kind: type === request ? 'request' : 'reply', seq: v.getUint16(icmp + 6) };
  }
  if (errors.includes(type) && request === 8) {
    const quoted = icmp + 8;
    if (v.byteLength < quoted + 20 || v.getUint8(quoted + 9) !== 1) return null;
    const q = quoted + (v.getUint8(quoted) & 0x0f) * 4;
    if (v.byteLength < q + 8 || v.getUint16(q + 4) !== mark.icmpId) return null;
    return { kind: 'error', seq: v.getUint16(q + 6) };
  }
  return null;
}

/** The payload ping filled with `-p`: after its timestamp, the pattern repeats (as far as it was captured). */
function hasPattern(v: DataView, data: number, end: number, pat: number[]): boolean {
  const size = end - data;
  const start = size >= PING_TIMESTAMP ? PING_TIMESTAMP : 0;
  const last = Math.min(end, v.byteLength) - data;
  if (last - start < Math.min(pat.length, size - start)) return false;
  for (let i = start; i < last; i++) if (v.getUint8(data + i) !== pat[i % pat.length]) return false;
  return true;
}

/**
 * The address a neighbour request asks for — an ARP request (`who-has`) or an IPv6 neighbour
 * solicitation (ICMPv6 135 right after the IPv6 header, as the kernel sends it) — or null for any
 * other frame.
 */
export function arpRequestTarget(frame: Uint8Array): string | null {
  const v = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  if (v.byteLength >= ETH_HEADER + 28 && v.getUint16(12) === 0x0806 && v.getUint16(ETH_HEADER + 6) === 1)
    return Array.from(frame.subarray(ETH_HEADER + 24, ETH_HEADER + 28)).join('.');
  const icmp = ETH_HEADER + 40;
  if (
    v.byteLength >= icmp + 24 &&
    v.getUint16(12) === 0x86dd &&
    v.getUint8(ETH_HEADER + 6) === 58 &&
    v.getUint8(icmp) === 135
  )
    return ipv6Text(frame.subarray(icmp + 8, icmp + 24));
  return null;
}

/** RFC 5952 text of 16 address bytes: lower case, the longest run of zero groups (two or more) as `::`. */
export function ipv6Text(b: Uint8Array): string {
  const groups = Array.from({ length: 8 }, (_, i) => ((b[2 * i]! << 8) | b[2 * i + 1]!).toString(16));
  let best = { at: -1, len: 1 };
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best.len) best = { at: i, len: j - i };
    i = j === i ? i + 1 : j;
  }
  if (best.at < 0) return groups.join(':');
  return `${groups.slice(0, best.at).join(':')}::${groups.slice(best.at + best.len).join(':')}`;
}
