import type { Frame, IpPacket } from '../trace/packet.ts';
import { portDependence, type PortStandIn } from './portStandIn.ts';
import { parseOfprotoTrace, type ParsedOfprotoTrace, type TracedRule } from './parseOfprotoTrace.ts';
import { splitTopLevel } from './splitTopLevel.ts';

/** Where a frame goes after the switch: out of datapath ports, back as an ARP answer, nowhere, or unknown. */
export type OvsOutcome =
  | { readonly kind: 'outputs'; readonly outputs: readonly { readonly dpPort: number; readonly frame: Frame }[] }
  | { readonly kind: 'arp-reply'; readonly dpPort: number; readonly mac: string }
  | { readonly kind: 'drop'; readonly by: TracedRule | undefined }
  | { readonly kind: 'unknown'; readonly reason: string };

/** OVS's answer for one packet, read: the rules it met, its datapath actions, and what they do. */
export interface OvsVerdict {
  readonly rules: readonly TracedRule[];
  /** Each pass's `Datapath actions`, joined with ` | recirc → ` between passes. */
  readonly datapathActions: string;
  readonly outcome: OvsOutcome;
}

/** Datapath actions that change nothing about where the frame goes or what it is. */
const PASSIVE = /^(ct\(.*\)|ct_clear|meter\(\d+\)|sample\(.*\)|trunc\(\d+\))$/s;
const MAX_RECIRCULATIONS = 16;

/**
 * Reads an ofproto/trace answer for a frame: follows its datapath actions through every
 * recirculation (conntrack resumes with the state it was asked for), applying header rewrites to
 * the frame, and collects the ports it leaves by. An action that would take the frame where the
 * tracer cannot follow (to the controller, into a tunnel, a VLAN push) makes it `unknown`, naming
 * the action; text that is not an ofproto/trace answer makes it `unknown`, saying why.
 */
export function ovsVerdict(text: string, frame: Frame, standIns: readonly PortStandIn[] = []): OvsVerdict {
  let parsed: ParsedOfprotoTrace;
  try {
    parsed = parseOfprotoTrace(text);
  } catch (e) {
    const reason = `OVS's answer cannot be read: ${(e as Error).message}`;
    return { rules: [], datapathActions: '', outcome: { kind: 'unknown', reason } };
  }
  const rules = parsed.sections.flatMap((s) => s.rules);
  const datapathActions = parsed.sections.map((s) => s.datapathActions).join(' | recirc → ');
  // Asked with a stand-in for a port the kernel picks: only an answer that did not depend on it holds.
  const dependence = portDependence(parsed, standIns);
  if (dependence !== undefined) return { rules, datapathActions, outcome: { kind: 'unknown', reason: dependence } };
  return { rules, datapathActions, outcome: follow(parsed, frame, rules) };
}

function follow(parsed: ParsedOfprotoTrace, start: Frame, rules: readonly TracedRule[]): OvsOutcome {
  const unknown = (reason: string): OvsOutcome => ({ kind: 'unknown', reason });
  let frame = start;
  let arpReply: string | undefined;
  const outputs: { dpPort: number; frame: Frame }[] = [];
  let section = parsed.sections[0];
  for (let pass = 0; section; pass++) {
    if (pass > MAX_RECIRCULATIONS) return unknown('the answer recirculates more than hoplens follows');
    const actions = section.datapathActions === 'drop' ? [] : splitTopLevel(section.datapathActions);
    if (!actions) return unknown(`unbalanced datapath actions: ${section.datapathActions.slice(0, 120)}`);
    let next: typeof section | undefined;
    for (const action of actions.map((a) => a.trim())) {
      if (/^\d+$/.test(action)) {
        outputs.push({ dpPort: Number(action), frame });
        continue;
      }
      if (PASSIVE.test(action)) continue;
      const recirc = /^recirc\((0x[0-9a-f]+)\)$/i.exec(action)?.[1];
      if (recirc !== undefined) {
        next = parsed.sections.find((s) => s.recirc?.toLowerCase() === recirc.toLowerCase());
        if (!next) return unknown(`the answer does not follow ${action}`);
        continue;
      }
      const set = /^set\((\w+)\((.*)\)\)$/s.exec(action);
      if (set) {
        const rewritten = rewrite(frame, set[1] ?? '', set[2] ?? '');
        if (typeof rewritten === 'string') return unknown(rewritten);
        if (rewritten.arpReplyMac !== undefined) arpReply = rewritten.arpReplyMac;
        frame = rewritten.frame;
        continue;
      }
      return unknown(`datapath action ${action.slice(0, 120)} takes the frame where hoplens does not follow`);
    }
    section = next;
  }
  if (arpReply !== undefined) {
    const [only, ...more] = outputs;
    if (!only || more.length > 0) return unknown('the switch answers ARP but not back to one port');
    return { kind: 'arp-reply', dpPort: only.dpPort, mac: arpReply };
  }
  if (outputs.length > 0) return { kind: 'outputs', outputs };
  const by = [...rules].reverse().find((r) => r.miss || r.actions.includes('drop')) ?? rules[rules.length - 1];
  return { kind: 'drop', by };
}

/** Applies a `set(HEADER(k=v,…))` rewrite; a string says which one the tracer cannot apply. */
function rewrite(frame: Frame, header: string, body: string): { frame: Frame; arpReplyMac?: string } | string {
  const fields = new Map<string, string>();
  for (const item of splitTopLevel(body) ?? []) {
    const [k, v] = item.split('=', 2);
    // A masked rewrite of every bit is a plain one; a partial mask is beyond the tracer.
    const [value, mask] = (v ?? '').split('/');
    if (mask !== undefined && !/^(ff:){5}ff$|^255\.255\.255\.255$|^0x(ff)+$|^(ffff:){7}ffff$/i.test(mask))
      return `a masked rewrite of ${header}.${k ?? ''}`;
    if (k !== undefined) fields.set(k, value ?? '');
  }
  const pkt = frame.packet;
  switch (header) {
    case 'eth':
      return {
        frame: {
          ...frame,
          srcMac: fields.get('src') ?? frame.srcMac,
          dstMac: fields.get('dst') ?? frame.dstMac,
        },
      };
    case 'arp':
      if (pkt.kind !== 'arp' || fields.get('op') !== '2' || !fields.get('sha'))
        return `an ARP rewrite other than an answer (set(arp(${body.slice(0, 80)})))`;
      return { frame, arpReplyMac: fields.get('sha') ?? '' };
    case 'ipv4':
    case 'ipv6': {
      if (pkt.kind !== 'ip') return `an IP rewrite of a frame without IP`;
      const next: IpPacket = { ...pkt, src: fields.get('src') ?? pkt.src, dst: fields.get('dst') ?? pkt.dst };
      return { frame: { ...frame, packet: next } };
    }
    case 'tcp':
    case 'udp': {
      if (pkt.kind !== 'ip' || pkt.l4.proto !== header) return `a ${header} rewrite of a frame without ${header}`;
      const l4 = pkt.l4;
      const sport = fields.has('src') ? Number(fields.get('src')) : l4.sport;
      const dport = fields.has('dst') ? Number(fields.get('dst')) : l4.dport;
      return { frame: { ...frame, packet: { ...pkt, l4: { ...l4, sport, dport } as typeof l4 } } };
    }
    case 'skb_mark': {
      if (pkt.kind !== 'ip') return { frame };
      return { frame: { ...frame, packet: { ...pkt, mark: Number(body.split('/')[0]) } } };
    }
    default:
      return `a rewrite of ${header} (set(${header}(${body.slice(0, 80)})))`;
  }
}
