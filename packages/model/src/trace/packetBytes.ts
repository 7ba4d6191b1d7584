import { parseIp } from '../net/ip.ts';
import type { PortRange } from '../net/portRange.ts';
import type { Frame, IpPacket, Packet } from './packet.ts';
import { sizeOf } from './packet.ts';

/**
 * A frame's bytes as they are on the wire, from the Ethernet header on: what u32 keys, classic BPF
 * and nftables payload expressions read. Bytes the tracer cannot know (checksums, IP ids, TTL,
 * ICMP ids, payload, a VXLAN source port) are marked unknown; a filter that reads one cannot be
 * evaluated on them. Bytes past `length` do not exist.
 */
export interface PacketBytes {
  readonly data: Uint8Array;
  /** 1 where `data` holds the real byte. */
  readonly known: Uint8Array;
  /** The frame's length on the wire (payload beyond `data` is unknown). */
  readonly length: number;
  /** Offset of the network header (after the Ethernet header). */
  readonly l3: number;
  /** Offset of the transport header, where there is one. */
  readonly l4: number | undefined;
  /**
   * The ports the kernel picks an unknown TCP or UDP port of the transport header at `l4` from, where
   * known (its bytes stay unknown; a comparison of the whole port can still be told, see readBits).
   */
  readonly portRanges?: { readonly sport?: PortRange; readonly dport?: PortRange };
}

/** A byte at an offset: its value, `unknown`, or `absent` past the frame's end. */
export function byteAt(b: PacketBytes, off: number): number | 'unknown' | 'absent' {
  if (off < 0 || off >= b.length) return 'absent';
  if (off >= b.data.length || !b.known[off]) return 'unknown';
  return b.data[off]!;
}

/** `n` bytes big-endian at an offset (n ≤ 4): the value, `unknown` or `absent`. */
export function wordAt(b: PacketBytes, off: number, n: number): number | 'unknown' | 'absent' {
  let v = 0;
  let unknown = false;
  for (let i = 0; i < n; i++) {
    const x = byteAt(b, off + i);
    if (x === 'absent') return 'absent';
    if (x === 'unknown') unknown = true;
    else v = v * 256 + x;
  }
  return unknown ? 'unknown' : v;
}

/** The mask of known bits of `n` bytes at an offset (1 bits known), as a number. */
export function knownMaskAt(b: PacketBytes, off: number, n: number): number {
  let m = 0;
  for (let i = 0; i < n; i++) m = m * 256 + (byteAt(b, off + i) === 'unknown' ? 0 : 0xff);
  return m;
}

class Writer {
  readonly data: number[] = [];
  readonly known: number[] = [];
  put(bytes: readonly number[]): void {
    for (const x of bytes) {
      this.data.push(x & 0xff);
      this.known.push(1);
    }
  }
  unknown(n: number): void {
    for (let i = 0; i < n; i++) {
      this.data.push(0);
      this.known.push(0);
    }
  }
  u16(v: number): void {
    this.put([v >> 8, v]);
  }
  mac(m: string | null): void {
    if (m === null) this.unknown(6);
    else this.put(m.split(':').map((x) => Number.parseInt(x, 16)));
  }
  ip(addr: string | undefined, family: 4 | 6): void {
    const v = addr === undefined ? undefined : parseIp(addr);
    const n = family === 4 ? 4 : 16;
    if (!v || v.family !== family) return this.unknown(n);
    this.put(Array.from({ length: n }, (_, i) => Number((v.value >> BigInt(8 * (n - 1 - i))) & 0xffn)));
  }
}

/** The bytes of a frame (recursively, a VXLAN packet's inner frame too). */
export function frameBytes(frame: Frame): PacketBytes {
  const w = new Writer();
  writeFrame(w, frame);
  return finish(w, frame.packet);
}

/** The bytes of a packet not yet framed (locally sent, before the neighbour is known): the Ethernet header unknown. */
export function packetBytes(packet: Packet): PacketBytes {
  const w = new Writer();
  w.unknown(12);
  writeFrame(w, { srcMac: null, dstMac: '00:00:00:00:00:00', packet }, true);
  return finish(w, packet);
}

function finish(w: Writer, packet: Packet): PacketBytes {
  const frame = { packet };
  const length = 14 + sizeOf(frame.packet);
  const l4 = frame.packet.kind === 'ip' ? 14 + (isV6(frame.packet) ? 40 : 20) : undefined;
  const bytes = { data: Uint8Array.from(w.data), known: Uint8Array.from(w.known), length, l3: 14, l4 };
  const t = packet.kind === 'ip' ? packet.l4 : undefined;
  const ranged = (t?.proto === 'tcp' || t?.proto === 'udp') && (t.sportRange || t.dportRange) ? t : undefined;
  if (!ranged) return bytes;
  return {
    ...bytes,
    portRanges: {
      ...(ranged.sport === undefined && ranged.sportRange ? { sport: ranged.sportRange } : {}),
      ...(ranged.dport === undefined && ranged.dportRange ? { dport: ranged.dportRange } : {}),
    },
  };
}

const isV6 = (p: Packet): boolean => p.dst.includes(':');

function writeFrame(w: Writer, frame: Frame, headless = false): void {
  if (!headless) {
    w.mac(frame.dstMac);
    w.mac(frame.srcMac);
  }
  const p = frame.packet;
  if (p.kind === 'arp') {
    w.u16(0x0806);
    w.put([0, 1, 0x08, 0, 6, 4, 0, p.op === 'reply' ? 2 : 1]);
    w.mac(p.op === 'reply' ? (p.sha ?? frame.srcMac) : frame.srcMac);
    w.ip(p.src, 4);
    if (p.op === 'reply') w.mac(p.tha ?? frame.dstMac);
    else w.put([0, 0, 0, 0, 0, 0]);
    w.ip(p.dst, 4);
    return;
  }
  const v6 = isV6(p);
  w.u16(v6 ? 0x86dd : 0x0800);
  if (v6) writeIp6(w, p);
  else writeIp4(w, p);
  writeTransport(w, p, v6);
}

const PROTO: Record<IpPacket['l4']['proto'], number> = { icmp: 1, tcp: 6, udp: 17, nd: 58 };

function protoOf(p: IpPacket, v6: boolean): number {
  return p.l4.proto === 'icmp' && v6 ? 58 : PROTO[p.l4.proto];
}

function writeIp4(w: Writer, p: IpPacket): void {
  w.put([0x45, 0]);
  w.u16(p.size);
  // Identification, flags and fragment offset (DF is the socket's choice), TTL: not known.
  w.unknown(5);
  w.put([protoOf(p, false)]);
  w.unknown(2);
  w.ip(p.src, 4);
  w.ip(p.dst, 4);
}

function writeIp6(w: Writer, p: IpPacket): void {
  // Version 6, traffic class 0; the flow label is the kernel's hash.
  w.put([0x60]);
  w.unknown(3);
  w.u16(p.size - 40);
  w.put([protoOf(p, true)]);
  if (p.l4.proto === 'nd') w.put([255]);
  else w.unknown(1);
  w.ip(p.src, 6);
  w.ip(p.dst, 6);
}

function writeTransport(w: Writer, p: IpPacket, v6: boolean): void {
  const l4 = p.l4;
  switch (l4.proto) {
    case 'icmp': {
      const type = l4.type === 'echo-request' ? (v6 ? 128 : 8) : v6 ? 129 : 0;
      w.put([type, 0]);
      w.unknown(6); // checksum, identifier, sequence
      return;
    }
    case 'nd':
      w.put([l4.type === 'solicit' ? 135 : 136, 0]);
      w.unknown(2);
      // Flags of an advertisement (solicited, override) and the reserved bits.
      w.put(l4.type === 'solicit' ? [0, 0, 0, 0] : [0x60, 0, 0, 0]);
      w.ip(l4.target, 6);
      w.put([l4.type === 'solicit' ? 1 : 2, 1]);
      w.mac(l4.lladdr);
      return;
    case 'udp':
      if (l4.sport === undefined) w.unknown(2);
      else w.u16(l4.sport);
      if (l4.dport === undefined) w.unknown(2);
      else w.u16(l4.dport);
      w.u16(p.size - (v6 ? 40 : 20));
      w.unknown(2);
      if (l4.vxlan) {
        w.put([0x08, 0, 0, 0, l4.vxlan.vni >> 16, l4.vxlan.vni >> 8, l4.vxlan.vni, 0]);
        writeFrame(w, l4.vxlan.inner);
      }
      return;
    case 'tcp': {
      if (l4.sport === undefined) w.unknown(2);
      else w.u16(l4.sport);
      if (l4.dport === undefined) w.unknown(2);
      else w.u16(l4.dport);
      w.unknown(8); // sequence and acknowledgement numbers
      const flags = l4.flags.reduce((f, x) => f | { fin: 1, syn: 2, rst: 4, ack: 16 }[x], 0);
      w.put([0x50, flags]);
      w.unknown(6);
      return;
    }
  }
}
