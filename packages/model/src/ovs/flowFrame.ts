import { icmpEcho, type Frame } from '../trace/packet.ts';

/** The `key=value` fields of a flow in ofproto/trace's syntax (a bare protocol word has no value). */
export function flowFields(flow: string): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const item of flow.split(',')) {
    const eq = item.indexOf('=');
    if (eq < 0) out.set(item, undefined);
    else out.set(item.slice(0, eq), item.slice(eq + 1));
  }
  return out;
}

/**
 * The frame a flow hoplens wrote (ovsFlow) describes, for reading a recorded answer without the
 * walk that asked it; undefined for a flow of another shape.
 */
export function flowFrame(flow: string): Frame | undefined {
  const f = flowFields(flow);
  const srcMac = f.get('dl_src');
  const dstMac = f.get('dl_dst');
  if (srcMac === undefined || dstMac === undefined) return undefined;
  const src = f.get('nw_src') ?? f.get('ipv6_src');
  const dst = f.get('nw_dst') ?? f.get('ipv6_dst');
  if (f.has('arp')) {
    const tpa = f.get('arp_tpa');
    return tpa === undefined ? undefined : { srcMac, dstMac, packet: { kind: 'arp', src: f.get('arp_spa'), dst: tpa } };
  }
  if (dst === undefined) return undefined;
  const icmpType = f.get('icmp_type') ?? f.get('icmpv6_type');
  if (f.has('icmp') || f.has('icmp6')) {
    const type = icmpType === '8' || icmpType === '128' ? 'echo-request' : 'echo-reply';
    return { srcMac, dstMac, packet: icmpEcho({ src, dst, type }) };
  }
  const proto = ['udp', 'udp6', 'tcp', 'tcp6'].find((p) => f.has(p));
  if (!proto) return undefined;
  const sport = Number(f.get('tp_src'));
  const dport = Number(f.get('tp_dst'));
  const ip = icmpEcho({ src, dst, type: 'echo-request' });
  const l4 = proto.startsWith('udp')
    ? { proto: 'udp' as const, sport, dport }
    : { proto: 'tcp' as const, sport, dport, flags: [] };
  return { srcMac, dstMac, packet: { ...ip, l4, ct: 'new' } };
}

/** What a flow is, as a person says it: `ICMP echo request 10.0.0.2 → 10.0.0.3`, `ARP who-has 10.0.0.1`. */
export function describeFlow(flow: string): string {
  const f = flowFields(flow);
  if (f.has('arp')) return `ARP who-has ${f.get('arp_tpa') ?? '?'} tell ${f.get('arp_spa') ?? '?'}`;
  const src = f.get('nw_src') ?? f.get('ipv6_src') ?? '?';
  const dst = f.get('nw_dst') ?? f.get('ipv6_dst') ?? '?';
  const type = f.get('icmp_type') ?? f.get('icmpv6_type');
  if (f.has('icmp') || f.has('icmp6'))
    return `ICMP echo ${type === '8' || type === '128' ? 'request' : 'reply'} ${src} → ${dst}`;
  const proto = ['udp', 'udp6', 'tcp', 'tcp6'].find((p) => f.has(p)) ?? 'packet';
  return `${proto.replace('6', '').toUpperCase()} ${src}:${f.get('tp_src') ?? '?'} → ${dst}:${f.get('tp_dst') ?? '?'}`;
}
