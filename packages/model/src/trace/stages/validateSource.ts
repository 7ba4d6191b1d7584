import { netnsPath } from '../../ids.ts';
import type { LinkEntry, SnapshotIndex } from '../../topology/snapshotIndex.ts';
import { confMax, confOr, confText } from '../netConf.ts';
import type { Outcome } from '../outcome.ts';
import type { IpPacket } from '../packet.ts';
import type { LookupResult } from '../routeTable.ts';
import { unknownText } from './route.ts';
import type { Walk } from '../walk.ts';

/**
 * Why `fib_validate_source` refuses a source, with the kernel's name for the drop; without one, why
 * hoplens cannot tell whether it does (the route back is unknown).
 */
export interface SourceVerdict {
  readonly dropReason?: 'IP_RPFILTER' | 'IP_LOCAL_SOURCE';
  readonly reason: string;
  /** For a drop: its cause alone, without the values it assumed (for a reason that weighs several). */
  readonly cause?: string;
}

/**
 * The input routing decision's source check (`fib_validate_source`, net/ipv4/fib_frontend.c) for an
 * IPv4 packet that arrived at `iif`, to be delivered locally (`out` undefined) or forwarded out of
 * `out`. Reverse-path filtering uses the larger of `conf.all` and the device's rp_filter: 1 (strict)
 * wants the route back to the source to leave by `iif`; any other non-zero value (loose) only wants
 * a route back. A source that is one of this namespace's own addresses is refused unless
 * accept_local is on. Where a sysctl was not collected and its value would change the outcome, the
 * walk stops `unknown`, naming it. Returns undefined when the source passes.
 */
export function validateSource(w: Walk, iif: LinkEntry, pkt: IpPacket, out?: LinkEntry): Outcome | undefined {
  const src = pkt.src;
  if (src === undefined || src.includes(':')) return undefined;
  const rpf = confMax(iif, 'rpFilter');
  const acceptLocal = confOr(iif, 'acceptLocal');
  const rpfs = rpf === undefined ? [0, 1, 2] : [rpf];
  // accept_local only matters for a source this namespace holds.
  const local = w.index.isLocal(iif.netns, src);
  const locals = acceptLocal === undefined && local ? [false, true] : [acceptLocal ?? false];
  // The reverse lookup is the same for every rp_filter and accept_local value tried: made once.
  let back: LookupResult | null = null;
  const reverse = (): LookupResult => (back === null ? (back = reverseRoute(w.index, iif, src, pkt.dst, out)) : back);
  // Each value tried (the known one alone, else every one the kernel could hold) with its verdict.
  const tried = rpfs.flatMap((r) =>
    locals.map((a) => ({ r, a, v: sourceVerdict(w.index, iif, src, pkt.dst, out, r, a, reverse) })),
  );
  const verdicts = tried.map((t) => t.v);
  const first = verdicts[0];
  const stop = (verdict: 'dropped' | 'unknown', reason: string, dropReason?: string): Outcome =>
    w.stop({ ns: iif.netns, link: iif, component: 'routing', verdict, reason, dropReason });
  const outcome = (v: SourceVerdict | undefined): string => (v ? (v.dropReason ?? 'unknown') : 'pass');
  if (verdicts.some((v) => outcome(v) !== outcome(first))) {
    const what = [rpf === undefined ? 'rp_filter' : '', acceptLocal === undefined && local ? 'accept_local' : '']
      .filter(Boolean)
      .join(' and ');
    // What each value would make of it, in words that claim none of them: the walk does not know which holds.
    const seen = rpf === undefined ? ` (${confText(iif, 'rpFilter')})` : '';
    const each = tried.map(
      ({ r, a, v }) => `${valuesText(rpf === undefined ? r : undefined, a, locals.length > 1)}: ${wouldText(v)}`,
    );
    return stop(
      'unknown',
      `${what} of ${iif.link.name} not collected${seen}, and it decides this packet — ${each.join('; ')}`,
    );
  }
  if (!first) return undefined;
  if (first.dropReason === undefined) return stop('unknown', first.reason);
  const natNode = first.dropReason === 'IP_LOCAL_SOURCE' ? w.conntrack.hairpinnedBy(src) : undefined;
  const why = natNode
    ? `${first.reason}: ${netnsPath(natNode.ref)} DNATed this connection back to its own sender without masquerading its source (a hairpin needs the NAT node's SNAT, as kube-proxy's masquerade gives it)`
    : first.reason;
  return stop('dropped', why, first.dropReason);
}

/** The values one outcome of an undecided check assumed: `rp_filter=1 (strict)`, `accept_local off`. */
export function valuesText(rpf: number | undefined, acceptLocal: boolean, localUnknown: boolean): string {
  const mode = rpf === undefined ? '' : `rp_filter=${rpf} (${rpf === 0 ? 'off' : rpf === 1 ? 'strict' : 'loose'})`;
  return [mode, localUnknown ? `accept_local ${acceptLocal ? 'on' : 'off'}` : ''].filter(Boolean).join(', ');
}

/** What the source check would do under assumed values, said as a condition, not as what happened. */
export function wouldText(v: SourceVerdict | undefined): string {
  if (!v) return 'it would pass';
  if (v.dropReason === undefined) return `not known (${v.reason})`;
  return `it would be dropped (${v.dropReason}): ${v.cause ?? v.reason}`;
}

const UNROUTABLE: ReadonlySet<string> = new Set(['blackhole', 'unreachable', 'prohibit']);

/** To the source, from the destination, as if it came in by the output device. */
const reverseRoute = (
  index: SnapshotIndex,
  iif: LinkEntry,
  src: string,
  dst: string,
  out: LinkEntry | undefined,
): LookupResult => index.routes(iif.netns).lookup(src, { src: dst, iif: out?.link.name, l3mdev: iif.link.name });

/** The check for known values: rp_filter `rpf` (0, 1 strict, other loose) and accept_local. */
export function sourceVerdict(
  index: SnapshotIndex,
  iif: LinkEntry,
  src: string,
  dst: string,
  out: LinkEntry | undefined,
  rpf: number,
  acceptLocal: boolean,
  /** The reverse route lookup below, when the caller already has it. */
  reverse?: () => LookupResult,
): SourceVerdict | undefined {
  const ns = iif.netns;
  const dev = iif.link.name;
  const local = (): SourceVerdict => ({
    dropReason: 'IP_LOCAL_SOURCE',
    reason: `source ${src} is one of this namespace's own addresses (accept_local off on ${dev}): a martian source, dropped`,
    cause: `source ${src} is one of this namespace's own addresses, a martian source with accept_local off`,
  });
  if (rpf === 0) return index.isLocal(ns, src) && !acceptLocal ? local() : undefined;
  const back = reverse ? reverse() : reverseRoute(index, iif, src, dst, out);
  const rpFilter = (why: string): SourceVerdict => ({
    dropReason: 'IP_RPFILTER',
    reason: `reverse-path filter rp_filter=${rpf} (${rpf === 1 ? 'strict' : 'loose'}: the larger of ${confText(iif, 'rpFilter')}) drops it: ${why}`,
    cause: why,
  });
  if (back?.kind === 'unknown')
    return { reason: `the reverse-path filter's route back to ${src} is unknown: ${unknownText(back)}` };
  if (!back || back.kind === 'rule' || UNROUTABLE.has(back.route.type)) {
    return rpFilter(`there is no route back to ${src}`);
  }
  const r = back.route;
  if (r.type === 'local' && !acceptLocal) return local();
  if (r.type !== 'unicast' && r.type !== 'local') return local();
  if (r.dev === dev) return undefined;
  const routeText = `${r.dst}${r.gateway ? ` via ${r.gateway}` : ''} dev ${r.dev ?? '?'}`;
  if (!index.addressesOf(iif).some((a) => !a.includes(':'))) {
    return rpFilter(`the route back to ${src} (${routeText}) does not leave by ${dev}, which has no IPv4 address`);
  }
  if (rpf === 1) return rpFilter(`the route back to ${src} is ${routeText}, not by ${dev}, where it arrived`);
  return undefined;
}
