import type { TcAction, TcFilter } from '@hoplens/model';
import type { ParsedQdisc } from '../parse/parseTc.ts';
import { matchesAll } from '../tcMatchesAll.ts';
import { controlName } from '../tcNames.ts';
import { decodeClassifier } from './decodeTcClassifier.ts';
import { attrList, attrs, messagesOfType, str, u32, type Attrs } from './rtattr.ts';

const RTM_NEWTFILTER = 44;
const TCA_KIND = 1;
const TCA_OPTIONS = 2;
const TCA_ACT_KIND = 1;
const TCA_ACT_OPTIONS = 2;
const TCA_CHAIN = 11;
const TCA_MIRRED_PARMS = 2;
const TCA_GACT_PARMS = 2;
const TCA_GACT_PROB = 3;
const PROB_TYPES = ['none', 'netrand', 'determ'];
/** Where each classifier keeps its action list. */
const ACTIONS_ATTR: Record<string, number> = { u32: 7, matchall: 2, flower: 3, bpf: 1, basic: 3 };
const EACTIONS: Record<number, { action: 'redirect' | 'mirror'; direction: 'egress' | 'ingress' }> = {
  1: { action: 'redirect', direction: 'egress' },
  2: { action: 'mirror', direction: 'egress' },
  3: { action: 'redirect', direction: 'ingress' },
  4: { action: 'mirror', direction: 'ingress' },
};

/**
 * RTM_NEWTFILTER messages of one hook as `parseTcFilters` reads `tc -j filter show dev D ingress`:
 * every filter with options (a u32 hash table's header and link nodes too); the first message of
 * each preference, without options, only names the classifier.
 */
export function decodeTcFilters(
  buffers: readonly DataView[],
  direction: 'ingress' | 'egress',
  nameOf: (ifindex: number) => string,
): TcFilter[] {
  const out: TcFilter[] = [];
  const msgs = messagesOfType(buffers, RTM_NEWTFILTER);
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i]!;
    const b = m.body;
    const ifindex = b.getInt32(4, true);
    const handle = b.getUint32(8, true);
    const pref = b.getUint32(16, true) >>> 16;
    // tcm_info's low half is the protocol in network order.
    const protocol = b.getUint16(16, false);
    const a = attrs(b, 20);
    const kind = str(a.get(TCA_KIND)) ?? 'unknown';
    const optionsView = a.get(TCA_OPTIONS);
    if (!optionsView || handle === 0) continue;
    const options = attrs(optionsView);
    const actionsAttr = ACTIONS_ATTR[kind];
    const actionsView = actionsAttr === undefined ? undefined : options.get(actionsAttr);
    const classifier = decodeClassifier(kind, options, handle);
    out.push({
      ifindex,
      dev: nameOf(ifindex),
      direction,
      kind,
      pref,
      protocol,
      chain: u32(a.get(TCA_CHAIN)) ?? 0,
      matchesAll: matchesAll(classifier),
      classifier,
      actions: actionsView ? attrList(actionsView).map((act) => decodeAction(act, nameOf)) : [],
    });
  }
  return out;
}

const RTM_NEWQDISC = 36;
const TC_H_ROOT = 0xffffffff;
const TC_H_INGRESS = 0xfffffff1;

/** RTM_NEWQDISC messages as `parseQdiscs` reads `tc -j qdisc show`. */
export function decodeQdiscs(buffers: readonly DataView[], nameOf: (ifindex: number) => string): ParsedQdisc[] {
  const out: ParsedQdisc[] = [];
  const msgs = messagesOfType(buffers, RTM_NEWQDISC);
  for (let i = 0; i < msgs.length; i++) {
    const m = msgs[i]!;
    const ifindex = m.body.getInt32(4, true);
    const parent = m.body.getUint32(12, true);
    const kind = str(attrs(m.body, 20).get(TCA_KIND));
    if (!kind) continue;
    const p =
      parent === TC_H_ROOT
        ? 'root'
        : parent === TC_H_INGRESS
          ? 'ingress'
          : `${(parent >>> 16).toString(16)}:${(parent & 0xffff).toString(16)}`;
    out.push({ dev: nameOf(ifindex), kind, parent: p });
  }
  return out;
}

function decodeAction(view: DataView, nameOf: (ifindex: number) => string): TcAction {
  const a = attrs(view);
  const kind = str(a.get(TCA_ACT_KIND)) ?? 'unknown';
  const opts = a.get(TCA_ACT_OPTIONS);
  if (!opts) return { kind };
  const o = attrs(opts);
  if (kind === 'gact') return decodeGact(o);
  if (kind !== 'mirred') return { kind };
  // struct tc_mirred { index, capab, action, refcnt, bindcnt, eaction, ifindex }
  const parms = o.get(TCA_MIRRED_PARMS);
  if (!parms || parms.byteLength < 28) return { kind };
  const e = EACTIONS[parms.getInt32(20, true)];
  if (!e) return { kind };
  return {
    kind: 'mirred',
    ...e,
    targetDev: nameOf(parms.getUint32(24, true)),
    control: controlName(parms.getInt32(8, true)).control,
  };
}

/** struct tc_gact (tc_gen: index, capab, action, …) and the optional struct tc_gact_p {ptype, pval, paction}. */
function decodeGact(o: Attrs): TcAction {
  const parms = o.get(TCA_GACT_PARMS);
  if (!parms || parms.byteLength < 12) return { kind: 'gact' };
  const { control, chain } = controlName(parms.getInt32(8, true));
  const out: TcAction = { kind: 'gact', control, ...(chain === undefined ? {} : { chain }) };
  const prob = o.get(TCA_GACT_PROB);
  if (prob && prob.byteLength >= 8 && prob.getUint16(0, true) !== 0) {
    return {
      ...out,
      random: {
        type: PROB_TYPES[prob.getUint16(0, true)] ?? String(prob.getUint16(0, true)),
        control: controlName(prob.getInt32(4, true)).control,
        val: prob.getUint16(2, true),
      },
    };
  }
  return out;
}
