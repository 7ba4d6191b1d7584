import { natSourcePorts } from '../../net/portRange.ts';
import type { NatTarget } from '../../netfilter/ir.ts';
import type { NfHook } from '../../netfilter/nfPacket.ts';
import type { HopRule } from '../../schema/trace.ts';
import type { LinkEntry, NetnsEntry } from '../../topology/snapshotIndex.ts';
import type { Outcome } from '../outcome.ts';
import type { IpPacket } from '../packet.ts';
import type { Walk } from '../walk.ts';

/** Which rewrites each hook may do (the kernel refuses the others: DNAT only before routing, SNAT after). */
const DST_HOOKS: ReadonlySet<NfHook> = new Set(['prerouting', 'output']);
const SRC_HOOKS: ReadonlySet<NfHook> = new Set(['postrouting', 'input']);

/**
 * Applies the NAT a rule asked for to a connection's first packet at a hook, records the mapping
 * with conntrack (so the reply is rewritten back), and says so on a `nat` hop. An address hoplens
 * cannot tell (a MASQUERADE through a device without an address) stops the walk unknown.
 */
export function applyNat(
  w: Walk,
  ns: NetnsEntry,
  hook: NfHook,
  pkt: IpPacket,
  nat: { readonly target: NatTarget; readonly ref: HopRule },
  at: { readonly iif?: LinkEntry | undefined; readonly oif?: LinkEntry | undefined },
): IpPacket | Outcome {
  const t = nat.target;
  const link = at.iif ?? at.oif;
  const unknown = (why: string): Outcome =>
    w.stop({ ns, link, component: 'nat', verdict: 'unknown', reason: why, rule: nat.ref });
  const dst = t.kind === 'dnat' || t.kind === 'redirect';
  if (!(dst ? DST_HOOKS : SRC_HOOKS).has(hook)) {
    return unknown(`${t.kind.toUpperCase()} at ${hook}, where the kernel does not allow it: not evaluated by hoplens`);
  }
  let out: IpPacket;
  if (t.kind === 'dnat') out = moved(pkt, 'dst', t.addr, t.port);
  else if (t.kind === 'snat') out = moved(pkt, 'src', t.addr, t.port);
  else {
    // MASQUERADE takes the outgoing device's address, REDIRECT the incoming one's (loopback's for output).
    const dev = t.kind === 'masquerade' ? at.oif : at.iif;
    const v6 = pkt.dst.includes(':');
    const addr =
      t.kind === 'redirect' && hook === 'output'
        ? v6
          ? '::1'
          : '127.0.0.1'
        : dev && w.index.addressesOf(dev).find((a) => a.includes(':') === v6 && !a.startsWith('fe80:'));
    if (!addr) return unknown(`${t.kind.toUpperCase()}: ${dev?.link.name ?? 'the device'} has no address to use`);
    out = t.kind === 'masquerade' ? moved(pkt, 'src', addr, undefined) : moved(pkt, 'dst', addr, t.port);
  }
  w.conntrack.natted(ns, pkt, out);
  const which = dst ? 'dst' : 'src';
  w.hop({
    ns,
    link,
    component: 'nat',
    action: 'forwarded',
    verdict: 'ok',
    reason:
      `${dst ? 'destination' : 'source'} ${endText(pkt, which)} → ${endText(out, which)} (${t.kind.toUpperCase()}); ` +
      `conntrack rewrites the reply's ${dst ? 'source' : 'destination'} back`,
    rule: nat.ref,
  });
  return out;
}

/** One end of a packet as a hop says it: `10.96.0.10:80`, or the address alone without ports. */
export function endText(p: IpPacket, which: 'src' | 'dst'): string {
  const l4 = p.l4;
  const port = l4.proto === 'tcp' || l4.proto === 'udp' ? (which === 'src' ? l4.sport : l4.dport) : undefined;
  return `${p[which] ?? '(unset)'}${port === undefined ? '' : `:${port}`}`;
}

function moved(pkt: IpPacket, which: 'src' | 'dst', addr: string, port: number | undefined): IpPacket {
  const l4 = pkt.l4;
  if (l4.proto !== 'tcp' && l4.proto !== 'udp') return { ...pkt, [which]: addr };
  if (port !== undefined) {
    // A port of the rule's own: known from here on.
    const { sportRange, dportRange, ...rest } = l4;
    const ranges = which === 'src' ? (dportRange ? { dportRange } : {}) : sportRange ? { sportRange } : {};
    return { ...pkt, [which]: addr, l4: { ...rest, ...ranges, [which === 'src' ? 'sport' : 'dport']: port } };
  }
  // A source NAT without ports of its own may move a port the kernel picked to another of its class.
  if (which === 'src' && l4.sport === undefined && l4.sportRange !== undefined)
    return { ...pkt, src: addr, l4: { ...l4, sportRange: natSourcePorts(l4.sportRange) } };
  return { ...pkt, [which]: addr };
}
