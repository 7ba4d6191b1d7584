import { placeLabel, type ProbeResult } from '@hoplens/model';
import type { Flow } from './scenario.ts';

/**
 * What is wrong with a probe's answer for a lab flow, in words (empty when nothing): the probe must
 * see what ping saw; for a lost ping the kernel must have dropped it at the trace's drop hop or the
 * one right after, with a reason the flow declares (a flow that drops and declares none is itself
 * the problem: add `expectDrop` to the variant's flow). A flow Open vSwitch drops in userspace
 * (`dropInOvs`) has no kernel drop to hold: only ping's verdict, and no drop but the stack's OTHERHOST copy.
 */
export function probeProblems(flow: Flow, pinged: boolean, r: ProbeResult): string[] {
  const problems: string[] = [];
  const ping = pinged ? 'delivered' : 'dropped';
  if (r.observed.verdict !== ping) problems.push(`the probe saw ${r.observed.verdict}, ping ${ping}`);
  problems.push(...moreSitesThanFrees(r));
  // Where the trace must answer unknown (NAT, say), there is no predicted drop to hold the kernel's to.
  if (ping === 'delivered' || flow.traceUnknown !== undefined) return problems;
  const d = r.kernelDrop;
  const seen = d ? `${d.reason} at ${placeLabel(d.site)} (${d.location})` : 'no drop';
  if (flow.dropInOvs !== undefined) {
    if (d && d.reason !== 'OTHERHOST')
      problems.push(`dropped by Open vSwitch in userspace, yet the kernel said ${seen}`);
    return problems;
  }
  // A loss without a drop reason (icmp_echo_ignore_all consumes the request): the kernel must name none.
  if (flow.expectDrop === undefined) {
    if (d) problems.push(`this flow is lost but declares no expectDrop; the kernel said ${seen}`);
    return problems;
  }
  if (!r.observed.kernel.available) problems.push(`the kernel was not observed: ${r.observed.kernel.why}`);
  const excused = flow.probeUnattributable !== undefined && r.agreement.dropSite === 'unobserved';
  if (r.agreement.dropSite !== 'agree' && !excused)
    problems.push(`drop site ${r.agreement.dropSite}: ${r.agreement.summary}`);
  if (d && d.reason !== flow.expectDrop) problems.push(`the kernel said ${seen}, the flow expects ${flow.expectDrop}`);
  if (d && flow.expectDropIn !== undefined && !d.location.includes(flow.expectDropIn)) {
    problems.push(`the kernel dropped it in ${d.location}, the flow expects ${flow.expectDropIn}`);
  }
  return problems;
}

/**
 * A free is one drop at one place: per lost echo, the hops showing a drop of it are no more than
 * the kernel's frees of it (one per free event; a drop stored without its free counts alone). A
 * send the kernel refused is no free and is left out.
 */
function moreSitesThanFrees(r: ProbeResult): string[] {
  const hops = new Map<number | null, Set<number>>();
  for (const h of r.hops) {
    // A refused send (EMSGSIZE, ENETUNREACH) freed no buffer: it is shown where ping's send failed.
    for (const d of h.drops)
      if (d.lostEcho && d.attribution !== 'send-error') hops.set(d.seq, (hops.get(d.seq) ?? new Set()).add(h.hop));
  }
  const drops = r.observed.kernel.available ? r.observed.kernel.drops : [];
  const out: string[] = [];
  for (const [seq, at] of hops) {
    const frees = new Set(
      drops
        .filter((d) => d.lostEcho && d.seq === seq && d.attribution !== 'send-error')
        .map((d, i) => d.free?.key ?? `#${i}`),
    );
    if (at.size > frees.size)
      out.push(
        `icmp_seq ${seq ?? '?'} shown dropped at ${at.size} hops (${[...at].join(', ')}), the kernel freed it ${frees.size === 1 ? 'once' : `${frees.size} times`}`,
      );
  }
  return out;
}

/** `predicted hop | kernel drop site | reason` for the agreement suite's table. */
export function probeColumns(r: ProbeResult, strip: (s: string) => string): string {
  const hop = r.predicted.hops.find((h) => h.verdict !== 'ok');
  const d = r.kernelDrop;
  const predicted = hop ? `${hop.direction} ${strip(placeLabel(hop))}` : '-';
  const site = d ? `${d.packet} ${d.site.stage} ${strip(placeLabel(d.site))}` : '-';
  return `${predicted} | ${site} | ${d ? `${d.reason}${d.attribution === 'skb' ? '' : ` (${d.attribution})`}` : '-'}`;
}
