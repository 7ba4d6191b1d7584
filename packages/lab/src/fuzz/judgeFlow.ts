import type { AskOvs, SnapshotIndex, TraceResult } from '@hoplens/model';
import { traceAsking } from '@hoplens/model';
import { describeFates, observeFates, sameFates, tracedFates } from '../l4/connectAgreement.ts';
import { ping } from '../ping.ts';
import type { L4Server } from '../scenario.ts';
import { flowLabel, type FuzzFlow } from './fuzzFlows.ts';

/** One flow after the changes: what the kernel did, what hoplens said, and whether they conflict. */
export interface FuzzRow {
  readonly flow: string;
  /** `delivered` or `dropped` for a ping; for connections, the endpoints that answered (and whether some failed). */
  readonly kernel: string;
  readonly trace: TraceResult['verdict'];
  /** For connections: the endpoints trace says answer (and whether some fail). */
  readonly predicted?: string;
  /** Where hoplens stopped (the first hop not `ok`): its device, verdict and reason. */
  readonly stop: string;
  /** A confident verdict the kernel contradicts (twice: a lone ping's loss is asked again). */
  readonly wrong: boolean;
  /** Every hop of the trace, where it is wrong: what to look at first. */
  readonly hops?: readonly string[];
}

/** Where a hop happens, as `host/netns/interface`. */
const where = (h: TraceResult['hops'][number]): string => `${h.host}/${h.netns ?? '(root)'}/${h.interface ?? ''}`;

const hopLines = (hops: TraceResult['hops']): string[] =>
  hops.map((h) => `${h.direction} ${where(h)} ${h.component} ${h.verdict}: ${h.reason}`);

/** The first hop of the trace that is not `ok`, in words. */
function stopOf(traced: TraceResult): string {
  const stop = traced.hops.find((h) => h.verdict !== 'ok');
  return stop ? `${where(stop)} ${stop.direction} ${stop.verdict}: ${stop.reason}` : '';
}

/**
 * Traces the flow on `index` and sends it for real: a ping (asked again where the two disagree: a
 * lone ping can be lost to a neighbour resolution in flight), or connections until each fate the
 * trace predicts was seen (see observeFates; asked again likewise). `unknown` is never wrong, nor
 * are connections where any of their branches is `unknown`.
 */
export async function judgeFlow(
  index: SnapshotIndex,
  f: FuzzFlow,
  ask: AskOvs,
  servers: readonly L4Server[],
): Promise<FuzzRow> {
  if (f.connect !== undefined) {
    const c = f.connect;
    const traced = await traceAsking(index, f.from, f.to, { proto: c.proto, port: c.port }, ask);
    const unknown = traced.verdict === 'unknown' || (traced.branches ?? []).some((b) => b.verdict === 'unknown');
    const answerIn = (netns: string): string | undefined =>
      servers.find((s) => s.netns === netns && s.proto === c.proto)?.answer;
    const predicted = tracedFates(traced, answerIn, f.clientAddress);
    let seen = await observeFates(f.pingNetns, f.to, c, predicted);
    if (!unknown && !sameFates(seen, predicted)) seen = await observeFates(f.pingNetns, f.to, c, predicted);
    const wrong = !unknown && !sameFates(seen, predicted);
    const branchHops = (traced.branches ?? []).flatMap((b) => [
      `  branch ${b.label}: ${b.verdict}`,
      ...hopLines(b.hops),
    ]);
    return {
      flow: flowLabel(f),
      kernel: describeFates(seen),
      trace: traced.verdict,
      predicted: describeFates(predicted),
      stop: traced.summary ?? stopOf(traced),
      wrong,
      ...(wrong ? { hops: traced.branches ? branchHops : hopLines(traced.hops) } : {}),
    };
  }
  const traced = await traceAsking(index, f.from, f.to, { size: f.size, df: f.df }, ask);
  const opts = { ...(f.size === undefined ? {} : { size: f.size }), ...(f.df ? { dontFragment: true } : {}) };
  let pinged = await ping(f.pingNetns, f.to, opts);
  const conflicts = (): boolean =>
    traced.verdict !== 'unknown' && traced.verdict !== (pinged ? 'delivered' : 'dropped');
  if (conflicts()) pinged = await ping(f.pingNetns, f.to, opts);
  const wrong = conflicts();
  return {
    flow: flowLabel(f),
    kernel: pinged ? 'delivered' : 'dropped',
    trace: traced.verdict,
    stop: stopOf(traced),
    wrong,
    ...(wrong ? { hops: hopLines(traced.hops) } : {}),
  };
}
