import { parseIp } from '../net/ip.ts';
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
  const sport = l4.proto === 'udp' || l4.proto === 'tcp' ? l4.sport : undefined;
  const dport = l4.proto === 'udp' || l4.proto === 'tcp' ? l4.dport : undefined;
  if (f.dstPort && (dport === undefined || (dport & f.dstPort.mask) !== (f.dstPort.value & f.dstPort.mask)))
    return false;
  if (f.dstPortRange && (dport === undefined || dport < f.dstPortRange.start || dport > f.dstPortRange.end))
    return false;
  if (f.srcPort || f.srcPortRange) {
    if (sport === undefined) return { unknown: 'the source port is chosen by the kernel' };
    if (f.srcPort && (sport & f.srcPort.mask) !== (f.srcPort.value & f.srcPort.mask)) return false;
    if (f.srcPortRange && (sport < f.srcPortRange.start || sport > f.srcPortRange.end)) return false;
  }
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
