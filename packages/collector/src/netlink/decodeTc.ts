import type { TcAction, TcFilter } from '@hoplens/model';
import type { ParsedQdisc } from '../parse/parseTc.ts';
import { attrList, attrs, messages, str } from './rtattr.ts';

const RTM_NEWTFILTER = 44;
const TCA_KIND = 1;
const TCA_OPTIONS = 2;
const TCA_ACT_KIND = 1;
const TCA_ACT_OPTIONS = 2;
const TCA_MIRRED_PARMS = 2;
const TCA_U32_SEL = 5;
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
 * only entries with actions are filters (u32 also lists its hash tables).
 */
export function decodeTcFilters(
  buffers: readonly DataView[],
  direction: 'ingress' | 'egress',
  nameOf: (ifindex: number) => string,
): TcFilter[] {
  const out: TcFilter[] = [];
  for (const buf of buffers) {
    for (const m of messages(buf)) {
      if (m.type !== RTM_NEWTFILTER) continue;
      const b = m.body;
      const ifindex = b.getInt32(4, true);
      const pref = b.getUint32(16, true) >>> 16;
      const a = attrs(b, 20);
      const kind = str(a.get(TCA_KIND)) ?? 'unknown';
      const optionsView = a.get(TCA_OPTIONS);
      const options = optionsView ? attrs(optionsView) : undefined;
      const actionsAttr = ACTIONS_ATTR[kind];
      const actionsView = actionsAttr === undefined ? undefined : options?.get(actionsAttr);
      if (!actionsView) continue;
      out.push({
        ifindex,
        dev: nameOf(ifindex),
        direction,
        kind,
        pref,
        matchesAll: kind === 'matchall' || (kind === 'u32' && u32MatchesAll(options?.get(TCA_U32_SEL))),
        actions: attrList(actionsView).map((act) => decodeAction(act, nameOf)),
      });
    }
  }
  return out;
}

const RTM_NEWQDISC = 36;
const TC_H_ROOT = 0xffffffff;
const TC_H_INGRESS = 0xfffffff1;

/** RTM_NEWQDISC messages as `parseQdiscs` reads `tc -j qdisc show`. */
export function decodeQdiscs(buffers: readonly DataView[], nameOf: (ifindex: number) => string): ParsedQdisc[] {
  const out: ParsedQdisc[] = [];
  for (const buf of buffers) {
    for (const m of messages(buf)) {
      if (m.type !== RTM_NEWQDISC) continue;
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
  }
  return out;
}

/** struct tc_u32_sel: 16 bytes, then nkeys keys of {mask, val, off, offmask}; all-zero masks match all. */
function u32MatchesAll(sel: DataView | undefined): boolean {
  if (!sel || sel.byteLength < 16) return false;
  const nkeys = sel.getUint8(2);
  if (nkeys === 0 || sel.byteLength < 16 + nkeys * 16) return false;
  for (let k = 0; k < nkeys; k++) if (sel.getUint32(16 + k * 16, false) !== 0) return false;
  return true;
}

function decodeAction(view: DataView, nameOf: (ifindex: number) => string): TcAction {
  const a = attrs(view);
  const kind = str(a.get(TCA_ACT_KIND)) ?? 'unknown';
  const opts = a.get(TCA_ACT_OPTIONS);
  if (kind !== 'mirred' || !opts) return { kind };
  // struct tc_mirred { index, capab, action, refcnt, bindcnt, eaction, ifindex }
  const parms = attrs(opts).get(TCA_MIRRED_PARMS);
  if (!parms || parms.byteLength < 28) return { kind };
  const e = EACTIONS[parms.getInt32(20, true)];
  if (!e) return { kind };
  return { kind: 'mirred', ...e, targetDev: nameOf(parms.getUint32(24, true)) };
}
