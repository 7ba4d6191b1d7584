import { netnsLabel } from '../ids.ts';
import type {
  HopObservation,
  KernelDrop,
  LastSeen,
  OffPathTarget,
  ProbeAgreement,
  ProbeMark,
  ProbeObservation,
  ProbeResult,
  ProbeSend,
  Seen,
} from '../schema/probe.ts';
import type { TraceResult } from '../schema/trace.ts';
import { dropReasonText } from './dropReasonText.ts';
import { locate, locateSite, pathSteps, type PathStep } from './pathSteps.ts';
import { sendRefusal } from './sendRefusal.ts';

export interface CompareInput {
  readonly id: string;
  readonly snapshotId: string | null;
  readonly createdAt: string;
  readonly send: ProbeSend;
  readonly mark: ProbeMark;
  readonly predicted: TraceResult;
  /** Interfaces watched just past the predicted drop. */
  readonly offPath: readonly OffPathTarget[];
  /** What every machine saw, merged; it must carry ping's result. */
  readonly observation: ProbeObservation;
}

/** `host/netns/interface`, as the dashboard and the CLI print places. */
export function placeLabel(p: { host: string; netns: string | null; interface?: string | null }): string {
  return `${p.host}/${netnsLabel(p.netns)}${p.interface ? `/${p.interface}` : ''}`;
}

/**
 * Puts the kernel's answer beside the trace's: per predicted hop, whether the probe's request and
 * reply were seen on its interface and whether the kernel dropped one there; where the probe was
 * last seen; the drop that explains the loss; and whether the kernel agrees with the trace — on
 * the verdict (ping's answer is the truth) and on the drop site (the predicted step, or the next
 * one: a drop the kernel records after an interface sent a packet on belongs to the step after it).
 */
export function compareProbe(input: CompareInput): ProbeResult {
  const { observation: obs, predicted } = input;
  const ping = obs.ping;
  if (!ping) throw new Error('a probe result needs the observation of the machine that pinged');
  const steps = pathSteps(predicted.hops);
  const path: Path = { steps, offPath: input.offPath };
  const refusal = sendRefusal(ping, input.send);
  const drops = [...(obs.kernel.available ? obs.kernel.drops : []), ...(refusal ? [refusal] : [])];
  const observedVerdict = ping.received > 0 ? 'delivered' : 'dropped';
  const predictedStep = predictedDropStep(predicted, steps);
  const explaining = drops.filter((d) => d.lostEcho);
  const order = (d: KernelDrop): number => effectiveStep(path, d) ?? Number.MAX_SAFE_INTEGER;
  const kernelDrop =
    explaining.find((d) => siteVerdict(path, d, predictedStep) === 'agree') ??
    [...explaining].sort((a, b) => order(a) - order(b))[0] ??
    null;
  const lastSeen = lastSeenOf(obs, path, ping.answered);
  const hops = predicted.hops.map((_, i) => hopObservation(i, path, obs, drops));
  const agreement = agreementOf({ predicted, path, predictedStep, observedVerdict, kernelDrop, lastSeen, obs });
  return {
    id: input.id,
    snapshotId: input.snapshotId,
    createdAt: input.createdAt,
    send: input.send,
    mark: input.mark,
    predicted,
    offPath: [...input.offPath],
    observed: {
      verdict: observedVerdict,
      ping,
      packets: obs.packets.map(({ bytes: _bytes, ...p }) => p),
      watched: obs.watched,
      kernel: obs.kernel,
      counters: obs.counters,
      limits: obs.limits,
    },
    hops,
    lastSeen,
    kernelDrop,
    agreement,
  };
}

function predictedDropStep(predicted: TraceResult, steps: readonly PathStep[]): number {
  const hop = predicted.hops.findIndex((h) => h.verdict !== 'ok');
  return hop < 0 ? -1 : steps.findIndex((s) => s.first <= hop && hop <= s.last);
}

interface Path {
  readonly steps: readonly PathStep[];
  readonly offPath: readonly OffPathTarget[];
}

/**
 * The step a drop counts at: its site's, or the one after for a drop after an interface sent the
 * packet on, or at an interface just past the step (a bridge's flood target).
 */
function effectiveStep(path: Path, d: KernelDrop): number | undefined {
  const at = locateSite(path.steps, path.offPath, d.site, d.packet);
  if (!at) return undefined;
  return at.step + (at.pastStep || d.site.stage === 'transmit' ? 1 : 0);
}

/**
 * Whether the kernel's drop site agrees with the predicted step: `uncertain` when the drop is left
 * between places (`alsoPossible`) of which some agree and some do not.
 */
function siteVerdict(path: Path, drop: KernelDrop, predicted: number): 'agree' | 'disagree' | 'uncertain' {
  const sites = [drop.site, ...(drop.alsoPossible ?? [])];
  const agreeing = sites.filter((site) => siteAgrees(path, { ...drop, site }, predicted)).length;
  return agreeing === sites.length ? 'agree' : agreeing === 0 ? 'disagree' : 'uncertain';
}

/**
 * The kernel's site is the predicted step or the one right after it. A tc egress drop happens in
 * `__dev_queue_xmit` before any tracepoint names the device it is sent by, so the probe sees it at
 * the last device the frame was received on: any predicted step after that one, in the same
 * namespace (a bridge and its ports), agrees.
 */
function siteAgrees(path: Path, drop: KernelDrop, predicted: number): boolean {
  const at = effectiveStep(path, drop);
  if (predicted < 0 || at === undefined) return false;
  if (at === predicted || at === predicted + 1) return true;
  if (drop.reason !== 'TC_EGRESS' || predicted < at) return false;
  const from = path.steps[at];
  return path.steps.slice(at, predicted + 1).every((s) => s.host === from?.host && s.netns === from.netns);
}

function watchedAt(obs: ProbeObservation, s: PathStep): boolean {
  return obs.watched.some((w) => w.host === s.host && w.netns === s.netns && w.interface === s.interface);
}

function hopObservation(hop: number, path: Path, obs: ProbeObservation, drops: readonly KernelDrop[]): HopObservation {
  const steps = path.steps;
  const index = steps.findIndex((s) => s.first <= hop && hop <= s.last);
  const step = steps[index]!;
  const here = obs.packets.filter(
    (p) => p.host === step.host && p.netns === step.netns && p.interface === step.interface,
  );
  const seen = (kind: 'request' | 'reply'): Seen =>
    step.interface === null || !watchedAt(obs, step)
      ? 'not-watched'
      : here.some((p) => p.kind === kind)
        ? 'seen'
        : 'not-seen';
  const how = [
    ...new Set(here.map((p) => `${p.kind} ${p.direction}${p.packetType === 'otherhost' ? ' (otherhost)' : ''}`)),
  ].sort();
  // A drop is shown once, on the last hop of its step (one just past the step, too).
  const dropsHere =
    hop === step.last ? drops.filter((d) => locateSite(steps, path.offPath, d.site, d.packet)?.step === index) : [];
  return { hop, request: seen('request'), reply: seen('reply'), how, drops: dropsHere };
}

/** Where the first lost echo (or, when none was lost, the last answered one) was seen last, in path order. */
function lastSeenOf(obs: ProbeObservation, path: Path, answered: readonly number[]): LastSeen | null {
  const seqs = [...new Set(obs.packets.map((p) => p.seq).filter((s) => s !== null))].sort((a, b) => a - b);
  const seq = seqs.find((s) => !answered.includes(s)) ?? seqs[seqs.length - 1];
  let best: LastSeen | null = null;
  let bestStep = -1;
  for (const p of obs.packets) {
    if (p.seq !== seq) continue;
    const at = locate(path.steps, path.offPath, p, p.kind);
    const step = at ? at.step + (at.pastStep ? 0.5 : 0) : -1;
    if (at && step > bestStep) {
      bestStep = step;
      best = { hop: path.steps[at.step]!.last, host: p.host, netns: p.netns, interface: p.interface, packet: p.kind };
    }
  }
  return best;
}

/** The kernel's drop in words: where, why, and what the reason means. */
export function describeDrop(d: KernelDrop): string {
  const meaning = dropReasonText(d.reason);
  const why = `${d.reason}${meaning ? ` — ${meaning}` : ''}`;
  if (d.attribution === 'send-error') return `the kernel refused to send it from ${placeLabel(d.site)}: ${why}`;
  const where = placeLabel(d.site);
  const at =
    d.site.stage === 'transmit'
      ? `after ${where} sent it on`
      : d.site.stage === 'origin'
        ? `in ${where} before it reached any device`
        : d.site.stage === 'neighbor'
          ? `at ${where} waiting for its next hop`
          : `at ${where}`;
  const or = d.alsoPossible?.length
    ? `, or at ${d.alsoPossible.map((s) => placeLabel(s)).join(' or at ')} (its site is uncertain: the kernel's events do not tell which)`
    : '';
  return `the kernel dropped the ${d.packet}${d.seq === null ? '' : ` (icmp_seq ${d.seq})`} ${at}${or}: ${why} (${d.location})`;
}

function agreementOf(a: {
  predicted: TraceResult;
  path: Path;
  predictedStep: number;
  observedVerdict: 'delivered' | 'dropped';
  kernelDrop: KernelDrop | null;
  lastSeen: LastSeen | null;
  obs: ProbeObservation;
}): ProbeAgreement {
  const ping = a.obs.ping!;
  const details: string[] = [];
  const predictedHop = a.predicted.hops.find((h) => h.verdict !== 'ok');
  const predictedText =
    a.predicted.verdict === 'delivered'
      ? 'the trace predicted delivered'
      : `the trace predicted ${a.predicted.verdict}${predictedHop ? ` at ${placeLabel(predictedHop)} (${predictedHop.component})` : ''}`;
  details.push(`ping: ${ping.received} of ${ping.transmitted} echo requests answered`);
  details.push(predictedText);
  if (a.kernelDrop) details.push(describeDrop(a.kernelDrop));
  if (a.lastSeen) details.push(`last seen: the ${a.lastSeen.packet} on ${placeLabel(a.lastSeen)}`);
  const verdict =
    a.predicted.verdict === 'unknown' ? 'unknown' : a.predicted.verdict === a.observedVerdict ? 'agree' : 'disagree';
  let dropSite: ProbeAgreement['dropSite'] = 'none';
  if (a.observedVerdict === 'dropped') {
    if (!a.kernelDrop) dropSite = seenPastPrediction(a) ? 'disagree' : 'unobserved';
    else dropSite = siteVerdict(a.path, a.kernelDrop, a.predictedStep);
  }
  const summary =
    a.observedVerdict === 'delivered'
      ? `ping got ${ping.received} of ${ping.transmitted} replies: the kernel delivered it`
      : a.kernelDrop
        ? describeDrop(a.kernelDrop)
        : `ping got no reply, and no drop could be attributed to the probe${a.lastSeen ? `; last seen on ${placeLabel(a.lastSeen)}` : ''}`;
  if (verdict === 'disagree')
    details.unshift(`the kernel disagrees with the trace: ${predictedText}, ping says ${a.observedVerdict}`);
  else if (dropSite === 'disagree') details.unshift('the kernel dropped it elsewhere than the trace predicted');
  else if (dropSite === 'uncertain')
    details.unshift('where the kernel dropped it is uncertain: one of the places it may be is the predicted one');
  return { verdict, dropSite, summary, details };
}

/** Seen on a step after the predicted drop: the trace stopped too early, whatever the kernel's tracepoints say. */
function seenPastPrediction(a: { predictedStep: number; lastSeen: LastSeen | null; path: Path }): boolean {
  if (a.predictedStep < 0 || !a.lastSeen) return false;
  const at = a.path.steps.findIndex((s) => s.first <= a.lastSeen!.hop && a.lastSeen!.hop <= s.last);
  return at > a.predictedStep + 1;
}
