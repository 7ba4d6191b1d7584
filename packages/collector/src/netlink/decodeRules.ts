import type { PolicyRule } from '@hoplens/model';
import { attrs, messagesOfType } from './rtattr.ts';
import { tableName } from './names.ts';

const RTM_NEWRULE = 32;
const FRA = {
  DST: 1,
  SRC: 2,
  IIFNAME: 3,
  GOTO: 4,
  PRIORITY: 6,
  FWMARK: 10,
  TUN_ID: 12,
  SUPPRESS_IFGROUP: 13,
  SUPPRESS_PREFIXLEN: 14,
  TABLE: 15,
  FWMASK: 16,
  OIFNAME: 17,
  L3MDEV: 19,
  UID_RANGE: 20,
  IP_PROTO: 22,
  SPORT_RANGE: 23,
  DPORT_RANGE: 24,
};
const FR_ACT: Record<number, PolicyRule['action']> = {
  1: 'lookup',
  2: 'goto',
  3: 'nop',
  6: 'blackhole',
  7: 'unreachable',
  8: 'prohibit',
};
const FIB_RULE_INVERT = 0x2;
/**
 * Attributes read above, or that select nothing: FRA_FLOW (11, the realm a match sets), FRA_PAD
 * (18), FRA_PROTOCOL (21, who made the rule). Any other is a selector hoplens does not evaluate
 * (FRA_SUPPRESS_IFGROUP, and what newer kernels add: dscp, flowlabel, port masks, …).
 */
const READ = new Set([...Object.values(FRA).filter((t) => t !== FRA.SUPPRESS_IFGROUP), 11, 18, 21]);

/** RTM_NEWRULE messages (struct fib_rule_hdr + FRA_* attributes) as `parseRules` reads `ip -j rule`. */
export function decodeRules(buffers: readonly DataView[], family: 'inet' | 'inet6'): PolicyRule[] {
  const out: PolicyRule[] = [];
  const msgs = messagesOfType(buffers, RTM_NEWRULE);
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i]!;
    const b = m.body;
    const dstLen = b.getUint8(1);
    const srcLen = b.getUint8(2);
    const action = FR_ACT[b.getUint8(7)];
    if (!action) continue;
    const a = attrs(b, 12);
    const src = a.ip(FRA.SRC);
    const dst = a.ip(FRA.DST);
    const iif = a.str(FRA.IIFNAME);
    const oif = a.str(FRA.OIFNAME);
    const mark = a.u32(FRA.FWMARK);
    const mask = a.u32(FRA.FWMASK);
    const gotoTarget = a.u32(FRA.GOTO);
    const suppress = a.u32(FRA.SUPPRESS_PREFIXLEN);
    const ipproto = a.u8(FRA.IP_PROTO);
    const sport = range(a.get(FRA.SPORT_RANGE), 2);
    const dport = range(a.get(FRA.DPORT_RANGE), 2);
    const uidRange = range(a.get(FRA.UID_RANGE), 4);
    const tos = b.getUint8(3);
    const l3mdev = (a.u8(FRA.L3MDEV) ?? 0) !== 0;
    const tunIdView = a.get(FRA.TUN_ID);
    const tunId = tunIdView && tunIdView.byteLength >= 8 ? tunIdView.getBigUint64(0, false) : 0n;
    const unevaluated = a
      .types()
      .filter((t) => !READ.has(t))
      .map((t) => (t === FRA.SUPPRESS_IFGROUP ? 'suppress_ifgroup' : `attribute ${t}`))
      .slice(0, 16);
    const fwmark =
      mark === undefined && mask === undefined
        ? undefined
        : `0x${(mark ?? 0).toString(16)}${mask !== undefined && mask !== 0xffffffff ? `/0x${mask.toString(16)}` : ''}`;
    // Keys set in place, in `ip -j rule`'s order (see decodeRoutes).
    const rule: Omit<PolicyRule, 'invert' | 'action'> & Partial<PolicyRule> = {
      family,
      priority: a.u32(FRA.PRIORITY) ?? 0,
    };
    if (src !== undefined) rule.src = `${src}/${srcLen}`;
    if (dst !== undefined) rule.dst = `${dst}/${dstLen}`;
    if (iif !== undefined) rule.iif = iif;
    if (oif !== undefined) rule.oif = oif;
    if (fwmark !== undefined) rule.fwmark = fwmark;
    rule.invert = (b.getUint32(8, true) & FIB_RULE_INVERT) !== 0;
    rule.action = action;
    // An l3mdev rule looks up the VRF's table: it has none of its own (the kernel says 0).
    if (action === 'lookup' && !l3mdev) rule.table = tableName(a.u32(FRA.TABLE) ?? b.getUint8(4));
    if (gotoTarget !== undefined) rule.goto = gotoTarget;
    // The kernel keeps -1 (0xffffffff) for "not set".
    if (suppress !== undefined && suppress !== 0xffffffff) rule.suppressPrefixlen = suppress;
    if (ipproto) rule.ipproto = ipproto;
    if (sport) rule.sport = sport;
    if (dport) rule.dport = dport;
    if (uidRange) rule.uidRange = uidRange;
    if (tos) rule.tos = tos;
    if (l3mdev) rule.l3mdev = true;
    if (tunId) rule.tunId = String(tunId);
    if (unevaluated.length > 0) rule.unevaluated = unevaluated;
    out.push(rule as PolicyRule); // invert and action are set above
  }
  return out;
}

/** struct fib_rule_port_range (two u16) or fib_rule_uid_range (two u32), host order. */
function range(v: DataView | undefined, width: 2 | 4): { start: number; end: number } | undefined {
  if (!v || v.byteLength < 2 * width) return undefined;
  const at = (off: number): number => (width === 2 ? v.getUint16(off, true) : v.getUint32(off, true));
  return { start: at(0), end: at(width) };
}
