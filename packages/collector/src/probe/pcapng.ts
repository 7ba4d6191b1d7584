import type { CapturedPacket } from '@hoplens/model';

const LINKTYPE_ETHERNET = 1;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

/**
 * A pcapng file of a probe's packets, as tcpdump and Wireshark read it: one interface per captured
 * interface, named `host/netns/interface` (a pcap of several namespaces is otherwise a riddle), and
 * each packet's direction and the kernel's packet type (otherhost is recorded as promiscuous
 * reception) in its flags, its kind and icmp_seq as a comment.
 */
export function probePcapng(packets: readonly CapturedPacket[]): Uint8Array {
  const blocks: Uint8Array[] = [sectionHeader()];
  const interfaces = new Map<string, number>();
  for (const p of packets) {
    const name = `${p.host}/${p.netns ?? '(root)'}/${p.interface}`;
    if (!interfaces.has(name)) {
      interfaces.set(name, interfaces.size);
      blocks.push(interfaceDescription(name));
    }
  }
  const ordered = [...packets].sort((a, b) => a.atMs - b.atMs);
  for (const p of ordered) {
    const id = interfaces.get(`${p.host}/${p.netns ?? '(root)'}/${p.interface}`)!;
    blocks.push(enhancedPacket(id, p));
  }
  const total = blocks.reduce((n, b) => n + b.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const b of blocks) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

const pad4 = (n: number): number => (n + 3) & ~3;

function option(code: number, value: Uint8Array): Uint8Array {
  const o = new Uint8Array(4 + pad4(value.length));
  const v = new DataView(o.buffer);
  v.setUint16(0, code, true);
  v.setUint16(2, value.length, true);
  o.set(value, 4);
  return o;
}

const text = (s: string): Uint8Array => Buffer.from(s, 'utf8');
const END_OF_OPTIONS = new Uint8Array(4);

/** type, total length, body, total length again. */
function block(type: number, body: readonly Uint8Array[]): Uint8Array {
  const bodyLength = body.reduce((n, b) => n + b.length, 0);
  const out = new Uint8Array(12 + bodyLength);
  const v = new DataView(out.buffer);
  v.setUint32(0, type, true);
  v.setUint32(4, out.length, true);
  let at = 8;
  for (const b of body) {
    out.set(b, at);
    at += b.length;
  }
  v.setUint32(at, out.length, true);
  return out;
}

function sectionHeader(): Uint8Array {
  const h = new Uint8Array(16);
  const v = new DataView(h.buffer);
  v.setUint32(0, BYTE_ORDER_MAGIC, true);
  v.setUint16(4, 1, true);
  v.setUint16(6, 0, true);
  v.setBigInt64(8, -1n, true); // section length unknown
  return block(0x0a0d0d0a, [h, option(4, text('hoplens probe')), END_OF_OPTIONS]);
}

function interfaceDescription(name: string): Uint8Array {
  const h = new Uint8Array(8);
  const v = new DataView(h.buffer);
  v.setUint16(0, LINKTYPE_ETHERNET, true);
  v.setUint32(4, 0, true);
  return block(0x00000001, [h, option(2, text(name)), END_OF_OPTIONS]);
}

function enhancedPacket(id: number, p: CapturedPacket): Uint8Array {
  const data = base64Bytes(p.bytes);
  const h = new Uint8Array(20);
  const v = new DataView(h.buffer);
  const micros = BigInt(Math.round(p.atMs * 1000));
  v.setUint32(0, id, true);
  v.setUint32(4, Number(micros >> 32n), true);
  v.setUint32(8, Number(micros & 0xffffffffn), true);
  v.setUint32(12, data.length, true);
  v.setUint32(16, Math.max(p.wireLength, data.length), true);
  const body = new Uint8Array(pad4(data.length));
  body.set(data);
  const flags = new Uint8Array(4);
  const reception = { host: 1, multicast: 2, broadcast: 3, otherhost: 4, outgoing: 0, other: 0 }[p.packetType];
  new DataView(flags.buffer).setUint32(0, (p.direction === 'in' ? 1 : 2) | (reception << 2), true);
  const comment = `${p.kind}${p.seq === null ? '' : ` icmp_seq=${p.seq}`}${p.vni === undefined ? '' : ` vni=${p.vni}`} (${p.packetType})`;
  return block(0x00000006, [h, body, option(2, flags), option(1, text(comment)), END_OF_OPTIONS]);
}

const base64Bytes = (b64: string): Uint8Array => Buffer.from(b64, 'base64');
