import type { CbpfInsn, FlowerClassifier, TcClassifier, U32Key, U32Node } from '@hoplens/model';
import { classidText, u32HandleText } from '../tcNames.ts';
import { ipAddress, mac, str, u8, u32, type Attrs } from './rtattr.ts';

/** The classifier data of a filter's TCA_OPTIONS, by kind (include/uapi/linux/pkt_cls.h). */
export function decodeClassifier(kind: string, options: Attrs, handle: number): TcClassifier {
  switch (kind) {
    case 'u32':
      return decodeU32(options, handle);
    case 'bpf':
      return decodeBpf(options);
    case 'flower':
      return decodeFlower(options);
    case 'matchall':
      return { kind: 'matchall' };
    case 'basic':
      return { kind: 'basic', ematches: options.has(TCA_BASIC_EMATCHES) };
    default:
      return { kind: 'other', name: kind };
  }
}

const TCA_BASIC_EMATCHES = 2;

const U32 = { classid: 1, link: 3, divisor: 4, sel: 5, indev: 8, mark: 10 } as const;
const TC_U32_TERMINAL = 1;
const TC_U32_OFFSET = 2;
const TC_U32_VAROFFSET = 4;

/** struct tc_u32_sel (16 bytes, then nkeys × struct tc_u32_key of 16), TCA_U32_LINK, TCA_U32_DIVISOR, … */
function decodeU32(o: Attrs, handle: number): U32Node {
  const node: U32Node = {
    kind: 'u32',
    handle: u32HandleText(handle),
    ht: handle >>> 20,
    bucket: (handle >>> 12) & 0xff,
    node: handle & 0xfff,
    keys: [],
    terminal: false,
  };
  const divisor = u32(o.get(U32.divisor));
  if (divisor !== undefined) node.divisor = divisor;
  const link = u32(o.get(U32.link));
  if (link !== undefined) node.link = link >>> 20;
  const classid = u32(o.get(U32.classid));
  if (classid !== undefined) node.classid = classidText(classid);
  const indev = str(o.get(U32.indev));
  if (indev !== undefined) node.indev = indev;
  const mark = o.get(U32.mark);
  if (mark && mark.byteLength >= 8) node.fwmark = { value: mark.getUint32(0, true), mask: mark.getUint32(4, true) };
  const sel = o.get(U32.sel);
  if (!sel || sel.byteLength < 16) return node;
  const flags = sel.getUint8(0);
  const nkeys = sel.getUint8(2);
  node.terminal = (flags & TC_U32_TERMINAL) !== 0;
  const keys: U32Key[] = [];
  for (let k = 0; k < nkeys && 16 + (k + 1) * 16 <= sel.byteLength; k++) {
    const at = 16 + k * 16;
    keys.push({
      mask: sel.getUint32(at, false),
      value: sel.getUint32(at + 4, false),
      off: sel.getInt32(at + 8, true),
      nexthdr: sel.getInt32(at + 12, true) !== 0,
    });
  }
  node.keys = keys;
  const hmask = sel.getUint32(12, false);
  if (hmask !== 0) {
    node.hashMask = hmask;
    node.hashOff = sel.getInt16(10, true);
  }
  // tc prints an offset only where it is variable or adds something; both backends say the same.
  const plus = sel.getUint16(6, true);
  if (flags & TC_U32_VAROFFSET) {
    node.offset = {
      plus,
      at: sel.getInt16(8, true),
      mask: sel.getUint16(4, false),
      shift: sel.getUint8(1),
    };
  } else if (flags & TC_U32_OFFSET && plus !== 0) {
    node.offset = { plus };
  }
  return node;
}

const BPF = { classid: 3, opsLen: 4, ops: 5, name: 7, flags: 8, tag: 10, id: 11 } as const;
const TCA_BPF_FLAG_ACT_DIRECT = 1;

/** cls_bpf: classic bytecode (struct sock_filter: u16 code, u8 jt, u8 jf, u32 k) or an eBPF program's id, name, tag. */
function decodeBpf(o: Attrs): TcClassifier {
  const out: Extract<TcClassifier, { kind: 'bpf' }> = {
    kind: 'bpf',
    directAction: ((u32(o.get(BPF.flags)) ?? 0) & TCA_BPF_FLAG_ACT_DIRECT) !== 0,
  };
  const ops = o.get(BPF.ops);
  if (ops) {
    const insns: CbpfInsn[] = [];
    for (let at = 0; at + 8 <= ops.byteLength; at += 8) {
      insns.push({
        code: ops.getUint16(at, true),
        jt: ops.getUint8(at + 2),
        jf: ops.getUint8(at + 3),
        k: ops.getUint32(at + 4, true),
      });
    }
    out.ops = insns;
  }
  const name = str(o.get(BPF.name));
  if (name !== undefined) out.name = name;
  const id = u32(o.get(BPF.id));
  if (id !== undefined) out.progId = id;
  const tag = o.get(BPF.tag);
  if (tag) out.tag = [...new Uint8Array(tag.buffer, tag.byteOffset, tag.byteLength)].map(hex2).join('');
  const classid = u32(o.get(BPF.classid));
  if (classid !== undefined) out.classid = classidText(classid);
  return out;
}

const hex2 = (b: number): string => b.toString(16).padStart(2, '0');

/** Flower attributes (TCA_FLOWER_*) the tracer evaluates, and the names tc prints for the rest. */
const F = {
  classid: 1,
  indev: 2,
  act: 3,
  ethDst: 4,
  ethDstMask: 5,
  ethSrc: 6,
  ethSrcMask: 7,
  ethType: 8,
  ipProto: 9,
  ipv4Src: 10,
  ipv4SrcMask: 11,
  ipv4Dst: 12,
  ipv4DstMask: 13,
  ipv6Src: 14,
  ipv6SrcMask: 15,
  ipv6Dst: 16,
  ipv6DstMask: 17,
  tcpSrc: 18,
  tcpDst: 19,
  udpSrc: 20,
  udpDst: 21,
  flags: 22,
  tcpSrcMask: 35,
  tcpDstMask: 36,
  udpSrcMask: 37,
  udpDstMask: 38,
  sctpSrcMask: 39,
  sctpDstMask: 40,
  sctpSrc: 41,
  sctpDst: 42,
  icmp4Code: 49,
  icmp4CodeMask: 50,
  icmp4Type: 51,
  icmp4TypeMask: 52,
  icmp6Code: 53,
  icmp6CodeMask: 54,
  icmp6Type: 55,
  icmp6TypeMask: 56,
  inHwCount: 86,
  portSrcMin: 87,
  portSrcMax: 88,
  portDstMin: 89,
  portDstMax: 90,
} as const;
const HANDLED = new Set<number>(Object.values(F));
/** Names tc gives the keys the tracer does not evaluate (f_flower.c), by attribute. */
const UNSUPPORTED_NAMES: Record<number, string> = {
  23: 'vlan_id',
  24: 'vlan_prio',
  25: 'vlan_ethtype',
  26: 'enc_key_id',
  29: 'enc_dst_ip',
  27: 'enc_src_ip',
  31: 'enc_src_ip',
  33: 'enc_dst_ip',
  45: 'enc_dst_port',
  47: 'ip_flags',
  57: 'arp_sip',
  59: 'arp_tip',
  61: 'arp_op',
  63: 'arp_sha',
  65: 'arp_tha',
  67: 'mpls_ttl',
  68: 'mpls_bos',
  69: 'mpls_tc',
  70: 'mpls_label',
  71: 'tcp_flags',
  73: 'ip_tos',
  75: 'ip_ttl',
  77: 'cvlan_id',
  78: 'cvlan_prio',
  79: 'cvlan_ethtype',
  80: 'enc_tos',
  82: 'enc_ttl',
  84: 'enc_opt',
  91: 'ct_state',
  93: 'ct_zone',
  95: 'ct_mark',
  97: 'ct_label',
  99: 'mpls',
  102: 'num_of_vlans',
  103: 'pppoe_sid',
  104: 'ppp_proto',
  105: 'l2tpv3_sid',
};
/** Masks and counters that only qualify another key. */
const QUALIFIERS = new Set([28, 30, 32, 34, 44, 46, 48, 58, 60, 62, 64, 66, 72, 74, 76, 81, 83, 85, 92, 94, 96, 98]);

const be16 = (v: DataView | undefined): number | undefined =>
  v && v.byteLength >= 2 ? v.getUint16(0, false) : undefined;

function decodeFlower(o: Attrs): FlowerClassifier {
  const out: FlowerClassifier = { kind: 'flower', unsupported: [] };
  const indev = str(o.get(F.indev));
  if (indev !== undefined) out.indev = indev;
  const ethType = be16(o.get(F.ethType));
  if (ethType !== undefined) out.ethType = ethType;
  const ipProto = u8(o.get(F.ipProto));
  if (ipProto !== undefined) out.ipProto = ipProto;
  const masked = (key: number, maskKey: number, read: (v: DataView | undefined) => string | undefined) => {
    const value = read(o.get(key));
    if (value === undefined) return undefined;
    return { value, mask: read(o.get(maskKey)) ?? fullMask(o.get(key)!, read) };
  };
  const dstMac = masked(F.ethDst, F.ethDstMask, mac);
  if (dstMac) out.dstMac = dstMac;
  const srcMac = masked(F.ethSrc, F.ethSrcMask, mac);
  if (srcMac) out.srcMac = srcMac;
  const v6 = ethType === 0x86dd;
  const dstIp = v6 ? masked(F.ipv6Dst, F.ipv6DstMask, ipAddress) : masked(F.ipv4Dst, F.ipv4DstMask, ipAddress);
  if (dstIp) out.dstIp = dstIp;
  const srcIp = v6 ? masked(F.ipv6Src, F.ipv6SrcMask, ipAddress) : masked(F.ipv4Src, F.ipv4SrcMask, ipAddress);
  if (srcIp) out.srcIp = srcIp;
  const ports =
    ipProto === 6
      ? [F.tcpDst, F.tcpDstMask, F.tcpSrc, F.tcpSrcMask]
      : ipProto === 17
        ? [F.udpDst, F.udpDstMask, F.udpSrc, F.udpSrcMask]
        : ipProto === 132
          ? [F.sctpDst, F.sctpDstMask, F.sctpSrc, F.sctpSrcMask]
          : undefined;
  if (ports) {
    const [d, dm, s, sm] = ports as [number, number, number, number];
    const port = (k: number, m: number) => {
      const value = be16(o.get(k));
      return value === undefined ? undefined : { value, mask: be16(o.get(m)) ?? 0xffff };
    };
    const dst = port(d, dm);
    if (dst) out.dstPort = dst;
    const src = port(s, sm);
    if (src) out.srcPort = src;
    const range = (min: number, max: number) => {
      const start = be16(o.get(min));
      const end = be16(o.get(max));
      return start === undefined || end === undefined ? undefined : { start, end };
    };
    const dr = range(F.portDstMin, F.portDstMax);
    if (dr) out.dstPortRange = dr;
    const sr = range(F.portSrcMin, F.portSrcMax);
    if (sr) out.srcPortRange = sr;
  }
  const icmp = ipProto === 1 ? [F.icmp4Type, F.icmp4TypeMask, F.icmp4Code, F.icmp4CodeMask] : undefined;
  const icmp6 = ipProto === 58 ? [F.icmp6Type, F.icmp6TypeMask, F.icmp6Code, F.icmp6CodeMask] : undefined;
  const ic = icmp ?? icmp6;
  if (ic) {
    const [t, tm, c, cm] = ic as [number, number, number, number];
    const byte = (k: number, m: number) => {
      const value = u8(o.get(k));
      return value === undefined ? undefined : { value, mask: u8(o.get(m)) ?? 0xff };
    };
    const type = byte(t, tm);
    if (type) out.icmpType = type;
    const code = byte(c, cm);
    if (code) out.icmpCode = code;
  }
  for (const [key] of o.entries()) {
    if (HANDLED.has(key) || QUALIFIERS.has(key)) continue;
    out.unsupported.push(UNSUPPORTED_NAMES[key] ?? `attribute ${key}`);
  }
  out.unsupported = [...new Set(out.unsupported)].sort();
  return out;
}

/** The all-ones mask of an attribute's width, written as its value is. */
function fullMask(v: DataView, read: (v: DataView | undefined) => string | undefined): string {
  return read(new DataView(new Uint8Array(v.byteLength).fill(0xff).buffer)) ?? '';
}
