import type { CbpfInsn, FlowerClassifier, TcClassifier, U32Key, U32Node } from '@hoplens/model';
import { ipAddress, mac } from '../netlink/rtattr.ts';
import { ethertypeOf, u32HandleParts } from '../tcNames.ts';
import { ParseError } from './parseError.ts';

type Json = Record<string, unknown>;

const num = (v: unknown): number | undefined => {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^(0x)?[0-9a-f]+$/i.test(v)) return Number.parseInt(v, v.startsWith('0x') ? 16 : 10);
  return undefined;
};
const hex = (v: unknown): number | undefined =>
  typeof v === 'string' && /^(0x)?[0-9a-f]{1,8}$/i.test(v) ? Number.parseInt(v.replace(/^0x/i, ''), 16) : undefined;
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * The classifier data of one `tc -j filter show` entry's `options`, the same values the netlink
 * decoder reads from TCA_OPTIONS. Malformed keys are refused with an error naming the filter.
 */
export function parseClassifier(kind: string, options: Json): TcClassifier {
  switch (kind) {
    case 'u32':
      return parseU32(options);
    case 'bpf':
      return parseBpf(options);
    case 'flower':
      return parseFlower(options);
    case 'matchall':
      return { kind: 'matchall' };
    case 'basic':
      return { kind: 'basic', ematches: Object.keys(options).some((k) => k.startsWith('ematch')) };
    default:
      return { kind: 'other', name: kind };
  }
}

function parseU32(o: Json): U32Node {
  const fh = text(o.fh);
  const parts = fh === undefined ? undefined : u32HandleParts(fh);
  if (!fh || !parts) throw new ParseError(`tc -j filter output: u32 handle ${JSON.stringify(fh)} is not well-formed`);
  const node: U32Node = {
    kind: 'u32',
    handle: fh,
    ht: parts.ht,
    bucket: parts.bucket,
    node: parts.node,
    keys: [],
    terminal: false,
  };
  const divisor = num(o.ht_divisor);
  if (divisor !== undefined) node.divisor = divisor;
  const link = text(o.link);
  if (link !== undefined) {
    const l = u32HandleParts(link);
    if (!l) throw new ParseError(`tc -j filter output: u32 link ${JSON.stringify(link)} is not well-formed`);
    node.link = l.ht;
  }
  const flowid = text(o.flowid);
  if (flowid !== undefined) node.classid = flowid;
  const indev = text(o.input_dev);
  if (indev !== undefined) node.indev = indev;
  const markValue = hex(o.fwmark_value) ?? num(o.fwmark_value);
  const markMask = hex(o.fwmark_mask) ?? num(o.fwmark_mask);
  if (markValue !== undefined && markMask !== undefined) node.fwmark = { value: markValue, mask: markMask };
  const keys: U32Key[] = [];
  for (const [k, v] of Object.entries(o)) {
    if (k !== 'match' && !k.startsWith('match#')) continue;
    const m = v as Json;
    const value = hex(m.value);
    const mask = hex(m.mask);
    const off = num(m.off) ?? (typeof m.off === 'number' ? m.off : undefined);
    if (value === undefined || mask === undefined || typeof m.off !== 'number' || off === undefined) {
      throw new ParseError(`tc -j filter output: u32 key ${JSON.stringify(v).slice(0, 80)} is not well-formed`);
    }
    keys.push({ value, mask, off: m.off, nexthdr: m.offmask === 'nexthdr+' });
  }
  node.keys = keys;
  // iproute2 sets the terminal flag exactly when a filter gets a flowid or actions.
  node.terminal = flowid !== undefined || Array.isArray(o.actions);
  const hashMask = hex(o.hash_mask);
  if (hashMask !== undefined && hashMask !== 0) {
    node.hashMask = hashMask;
    node.hashOff = num(o.hash_off) ?? 0;
  }
  if (o.offset_mask !== undefined) {
    node.offset = {
      plus: num(o.plus) ?? 0,
      at: num(o.offset_off) ?? 0,
      mask: hex(o.offset_mask) ?? 0,
      shift: num(o.offset_shift) ?? 0,
    };
  } else if (o.plus !== undefined) {
    node.offset = { plus: num(o.plus) ?? 0 };
  }
  return node;
}

function parseBpf(o: Json): TcClassifier {
  const out: Extract<TcClassifier, { kind: 'bpf' }> = { kind: 'bpf', directAction: o['direct-action'] === true };
  const bytecode = o.bytecode as Json | undefined;
  if (bytecode && Array.isArray(bytecode.insns)) {
    out.ops = bytecode.insns.map((i: unknown): CbpfInsn => {
      const x = i as Json;
      const [code, jt, jf, k] = [num(x.code), num(x.jt), num(x.jf), num(x.k)];
      if (code === undefined || jt === undefined || jf === undefined || k === undefined) {
        throw new ParseError(
          `tc -j filter output: bpf instruction ${JSON.stringify(i).slice(0, 80)} is not well-formed`,
        );
      }
      return { code, jt, jf, k };
    });
  }
  const name = text(o.bpf_name);
  if (name !== undefined) out.name = name;
  const prog = o.prog as Json | undefined;
  const id = num(prog?.id);
  if (id !== undefined) out.progId = id;
  const tag = text(prog?.tag) ?? text(o.tag);
  if (tag !== undefined) out.tag = tag;
  const flowid = text(o.flowid);
  if (flowid !== undefined) out.classid = flowid;
  return out;
}

/** Keys of f_flower.c's `keys` object the tracer evaluates; any other is listed as unsupported. */
const FLOWER_KEYS = new Set([
  'eth_type',
  'ip_proto',
  'dst_mac',
  'src_mac',
  'dst_ip',
  'src_ip',
  'dst_port',
  'dst_port_mask',
  'src_port',
  'src_port_mask',
  'icmp_type',
  'icmp_code',
]);
const IP_PROTOS: Record<string, number> = {
  tcp: 6,
  udp: 17,
  sctp: 132,
  icmp: 1,
  icmpv6: 58,
  l2tp: 115,
  esp: 50,
  ah: 51,
};

function parseFlower(o: Json): FlowerClassifier {
  const out: FlowerClassifier = { kind: 'flower', unsupported: [] };
  const indev = text(o.indev);
  if (indev !== undefined) out.indev = indev;
  const keys = (o.keys ?? {}) as Json;
  const bad = (k: string): never => {
    throw new ParseError(`tc -j filter output: flower ${k} ${JSON.stringify(keys[k]).slice(0, 60)} is not well-formed`);
  };
  const ethText = text(keys.eth_type);
  if (ethText !== undefined) out.ethType = ethertypeOf(ethText) ?? bad('eth_type');
  const protoText = text(keys.ip_proto);
  if (protoText !== undefined) out.ipProto = IP_PROTOS[protoText] ?? hex(protoText) ?? bad('ip_proto');
  for (const [key, field] of [
    ['dst_mac', 'dstMac'],
    ['src_mac', 'srcMac'],
  ] as const) {
    const t = text(keys[key]);
    if (t !== undefined) out[field] = maskedMac(t) ?? bad(key);
  }
  for (const [key, field] of [
    ['dst_ip', 'dstIp'],
    ['src_ip', 'srcIp'],
  ] as const) {
    const t = text(keys[key]);
    if (t !== undefined) out[field] = maskedIp(t) ?? bad(key);
  }
  for (const [key, field, rangeField] of [
    ['dst_port', 'dstPort', 'dstPortRange'],
    ['src_port', 'srcPort', 'srcPortRange'],
  ] as const) {
    const v = keys[key];
    if (typeof v === 'number') out[field] = { value: v, mask: num(keys[`${key}_mask`]) ?? 0xffff };
    else if (v && typeof v === 'object') {
      const r = v as Json;
      const start = num(r.start);
      const end = num(r.end);
      if (start === undefined || end === undefined) bad(key);
      else out[rangeField] = { start, end };
    } else if (v !== undefined) bad(key);
  }
  for (const [key, field] of [
    ['icmp_type', 'icmpType'],
    ['icmp_code', 'icmpCode'],
  ] as const) {
    const t = keys[key];
    if (t === undefined) continue;
    const m = typeof t === 'string' || typeof t === 'number' ? /^(\d+)(?:\/(\d+))?$/.exec(String(t)) : null;
    if (!m) bad(key);
    else out[field] = { value: Number(m[1]), mask: m[2] === undefined ? 0xff : Number(m[2]) };
  }
  out.unsupported = [...new Set(Object.keys(keys).filter((k) => !FLOWER_KEYS.has(k)))].sort();
  return out;
}

/** `aa:bb:…[/bits|/mask]` as flower prints a MAC key. */
function maskedMac(t: string): { value: string; mask: string } | undefined {
  const [addr = '', m] = t.split('/');
  if (!/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(addr)) return undefined;
  if (m === undefined) return { value: addr, mask: 'ff:ff:ff:ff:ff:ff' };
  if (/^\d+$/.test(m)) return { value: addr, mask: mac(bitsMask(Number(m), 6)) ?? '' };
  return /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i.test(m) ? { value: addr, mask: m } : undefined;
}

/** `10.0.0.0[/bits|/mask]` as flower prints an address key. */
function maskedIp(t: string): { value: string; mask: string } | undefined {
  const [addr = '', m] = t.split('/');
  const len = addr.includes(':') ? 16 : 4;
  if (len === 4 && !/^\d+\.\d+\.\d+\.\d+$/.test(addr)) return undefined;
  if (m === undefined) return { value: addr, mask: ipAddress(bitsMask(len * 8, len)) ?? '' };
  if (/^\d+$/.test(m)) return { value: addr, mask: ipAddress(bitsMask(Number(m), len)) ?? '' };
  return { value: addr, mask: m };
}

/** A mask of `bits` leading ones, `bytes` long. */
function bitsMask(bits: number, bytes: number): DataView {
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++)
    out[i] = bits >= (i + 1) * 8 ? 0xff : bits > i * 8 ? (0xff << (8 - (bits - i * 8))) & 0xff : 0;
  return new DataView(out.buffer);
}
