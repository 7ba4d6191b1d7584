import { parseIp } from '../net/ip.ts';
import { maskedIn, rangeIn, type PortRange } from '../net/portRange.ts';
import type { FlowerClassifier } from '../schema/tcClassifier.ts';
import type { Frame } from '../trace/packet.ts';
import { ethertypeOfPacket } from './ethertypes.ts';

/** Does a frame meet every flower key? True, false, or what hoplens does not evaluate. */
export function flowerMatches(
  f: FlowerClassifier,
  frame: Frame,
  dev: { readonly name: string; readonly ingress: boolean },
): boolean | { unknown: string } {
  if (f.unsupported.length > 0)
    return { unknown: `flower keys ${f.unsupported.join(', ')} are not evaluated by hoplens` };
  if (f.indev !== undefined) {
    if (!dev.ingress) return { unknown: 'flower indev on egress' };
    if (f.indev !== dev.name) return false;
  }
  const p = frame.packet;
  const ethType = ethertypeOfPacket(p);
  if (f.ethType !== undefined && f.ethType !== ethType) return false;
  if (f.dstMac && !macIn(frame.dstMac, f.dstMac)) return false;
  if (f.srcMac) {
    if (frame.srcMac === null) return { unknown: 'the source MAC is not known' };
    if (!macIn(frame.srcMac, f.srcMac)) return false;
  }
  if (p.kind !== 'ip') return f.ipProto === undefined && !f.dstIp && !f.srcIp;
  const l4 = p.l4;
  const v6 = ethType === 0x86dd;
  const proto = l4.proto === 'icmp' ? (v6 ? 58 : 1) : l4.proto === 'nd' ? 58 : l4.proto === 'udp' ? 17 : 6;
  if (f.ipProto !== undefined && f.ipProto !== proto) return false;
  if (f.dstIp && !ipIn(p.dst, f.dstIp)) return false;
  if (f.srcIp) {
    if (p.src === undefined) return { unknown: 'the source address is not chosen yet' };
    if (!ipIn(p.src, f.srcIp)) return false;
  }
  const ports = l4.proto === 'udp' || l4.proto === 'tcp' ? l4 : undefined;
  if (ports) {
    const dst = portKeys('destination', ports.dport, ports.dportRange, f.dstPort, f.dstPortRange);
    if (dst !== true) return dst;
    const src = portKeys('source', ports.sport, ports.sportRange, f.srcPort, f.srcPortRange);
    if (src !== true) return src;
    // A packet without ports (ICMP) meets no port key.
  } else if (f.dstPort || f.dstPortRange || f.srcPort || f.srcPortRange) return false;
  const icmp =
    l4.proto === 'icmp'
      ? l4.type === 'echo-request'
        ? v6
          ? 128
          : 8
        : v6
          ? 129
          : 0
      : l4.proto === 'nd'
        ? l4.type === 'solicit'
          ? 135
          : 136
        : undefined;
  if (f.icmpType && (icmp === undefined || (icmp & f.icmpType.mask) !== (f.icmpType.value & f.icmpType.mask)))
    return false;
  if (f.icmpCode && (icmp === undefined || (0 & f.icmpCode.mask) !== (f.icmpCode.value & f.icmpCode.mask)))
    return false;
  return true;
}

const macValue = (m: string): bigint => BigInt(`0x${m.replaceAll(':', '')}`);
const macIn = (mac: string, k: { value: string; mask: string }): boolean =>
  (macValue(mac) & macValue(k.mask)) === (macValue(k.value) & macValue(k.mask));

function ipIn(addr: string, k: { value: string; mask: string }): boolean {
  const a = parseIp(addr);
  const v = parseIp(k.value);
  const m = parseIp(k.mask);
  return !!a && !!v && !!m && a.family === v.family && (a.value & m.value) === (v.value & m.value);
}

/**
 * A port key and a port range key of flower on one end: true where the packet meets both, false
 * where it fails one. A port the kernel picks (undefined: a connect()'s, a reply's to it, a VXLAN
 * device's) is told from the range it is picked from where the whole range answers alike, else
 * unknown.
 */
function portKeys(
  end: 'source' | 'destination',
  port: number | undefined,
  picked: PortRange | undefined,
  exact: { readonly value: number; readonly mask: number } | undefined,
  span: { readonly start: number; readonly end: number } | undefined,
): boolean | { unknown: string } {
  if (!exact && !span) return true;
  if (port !== undefined)
    return (
      (!exact || (port & exact.mask) === (exact.value & exact.mask)) &&
      (!span || (port >= span.start && port <= span.end))
    );
  if (picked === undefined) return { unknown: `the ${end} port is chosen by the kernel` };
  const answers: (boolean | undefined)[] = [];
  if (span) answers.push(rangeIn(picked, [[span.start, span.end]]));
  if (exact) answers.push(maskedIn(picked, exact.value, exact.mask));
  if (answers.includes(false)) return false;
  if (answers.every((a) => a === true)) return true;
  return {
    unknown: `the ${end} port is one the kernel picks from ${picked.start}-${picked.end}, of which only some match`,
  };
}
