import type { IpValue } from '../net/ip.ts';
import type { Chain } from './ir.ts';
import type { NfPacket } from './nfPacket.ts';

/** The key of an exact address a rule needs (`-d 10.96.0.10/32`): family and value. */
export const addressKey = (ip: IpValue): string => `${ip.family}/${ip.value.toString(16)}`;

/**
 * A chain's rules that can only act on one destination address, indexed by it: kube-proxy's
 * KUBE-SERVICES holds a rule per Service port, each `-d CLUSTER-IP/32`, and a packet meets at
 * most a few of them. Within a run of such rules, the ones for another destination cannot match
 * (their address match fails before any target), so the walk jumps to the next one that can.
 */
interface ChainIndex {
  /** For a rule that needs one destination: the index after the run of such rules it is in; else -1. */
  readonly runEnd: Int32Array;
  /** Per destination key, the indices of the rules that need it, ascending. */
  readonly byDst: ReadonlyMap<string, readonly number[]>;
}

/** Below this many rules a chain is read rule by rule. */
const MIN_RULES = 16;
const indexes = new WeakMap<Chain, ChainIndex | null>();

function indexOf(chain: Chain): ChainIndex | null {
  const known = indexes.get(chain);
  if (known !== undefined) return known;
  let built: ChainIndex | null = null;
  const n = chain.rules.length;
  if (n >= MIN_RULES && chain.rules.some((r) => r.onlyTo !== undefined)) {
    const runEnd = new Int32Array(n).fill(-1);
    const byDst = new Map<string, number[]>();
    for (let i = n - 1; i >= 0; i--) {
      const key = chain.rules[i]!.onlyTo;
      if (key === undefined) continue;
      runEnd[i] = i + 1 < n && runEnd[i + 1]! >= 0 ? runEnd[i + 1]! : i + 1;
    }
    for (let i = 0; i < n; i++) {
      const key = chain.rules[i]!.onlyTo;
      if (key === undefined) continue;
      const list = byDst.get(key);
      if (list) list.push(i);
      else byDst.set(key, [i]);
    }
    built = { runEnd, byDst };
  }
  indexes.set(chain, built);
  return built;
}

/**
 * The first rule from `i` on that may act on the packet: `i` itself unless it needs a destination
 * the packet does not have, then the next rule of its run that needs the packet's, or the rule
 * after the run. A packet whose destination is not known yet is read rule by rule (each such match
 * is unknown, not false).
 */
export function nextRule(chain: Chain, i: number, p: NfPacket): number {
  const index = indexOf(chain);
  if (!index) return i;
  const end = index.runEnd[i] ?? -1;
  if (end < 0) return i;
  if (p.family === 'arp') return end;
  if (!p.dst) return i;
  const list = index.byDst.get(addressKey(p.dst));
  if (!list) return end;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < i) lo = mid + 1;
    else hi = mid;
  }
  const next = list[lo];
  return next !== undefined && next < end ? next : end;
}
