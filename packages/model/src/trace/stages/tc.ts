import { commandIn } from '../../fix/commands.ts';
import type { TcFilter } from '../../schema/inventory.ts';
import type { HopRule } from '../../schema/trace.ts';
import { tcClassify as classify } from '../../tc/tcClassify.ts';
import { tcFilterText } from '../../tc/tcFilterText.ts';
import type { LinkEntry } from '../../topology/snapshotIndex.ts';
import type { Outcome } from '../outcome.ts';
import type { Frame } from '../packet.ts';
import type { Walk } from '../walk.ts';

/**
 * tc filters of a device in one direction (`sch_handle_ingress` / `sch_handle_egress`), evaluated
 * on the frame's bytes (u32 keys and hash tables, classic BPF, flower keys): a redirect takes the
 * frame to its target, which then receives or transmits it (a target that is down or has no
 * carrier drops it, as mirred does); a drop drops it; a filter hoplens cannot evaluate (an eBPF
 * program) makes the hop unknown, naming it. Returns undefined when the frame goes on its way.
 */
export function tcClassify(w: Walk, le: LinkEntry, direction: 'ingress' | 'egress', frame: Frame): Outcome | undefined {
  const filters = w.index.tcFiltersOf(le, direction);
  if (filters.length === 0) return undefined;
  const v = classify(filters, frame, { name: le.link.name, ingress: direction === 'ingress' });
  // Texts and the stop are made only where the walk stops or records: the rules' silent walks
  // cross a peer pod's redirect ~10⁴ times at cluster scale, and a closure over the walk here was
  // a context made at every crossing.
  switch (v.kind) {
    case 'continue':
      return undefined;
    case 'unknown':
      return stop(
        w,
        le,
        direction,
        'unknown',
        v.filter,
        `${where(direction, le)}${v.filter ? ` (pref ${v.filter.pref}, ${v.filter.kind})` : ''}: ${v.why} — whether the frame would pass, be redirected or be dropped here cannot be told`,
      );
    case 'drop':
      return stop(
        w,
        le,
        direction,
        'dropped',
        v.filter,
        `${where(direction, le)} (pref ${v.filter.pref}) drops the frame: ${v.why}`,
      );
    case 'redirect': {
      const { action } = v;
      const target = w.index.linkByName(le.netns.ref, action.targetDev);
      if (!target)
        return stop(
          w,
          le,
          direction,
          'dropped',
          v.filter,
          `${where(direction, le)} redirects to ${action.targetDev}, which does not exist`,
        );
      if (!target.link.adminUp || !target.link.carrier) {
        return stop(
          w,
          le,
          direction,
          'dropped',
          v.filter,
          `${where(direction, le)} (pref ${v.filter.pref}) redirects to ${target.link.name}, which is ${target.link.adminUp ? 'without carrier' : 'down'}: mirred drops the frame`,
        );
      }
      if (!w.silent)
        w.hop({
          ns: le.netns,
          link: le,
          component: 'tc',
          action: 'forwarded',
          verdict: 'ok',
          reason: `${where(direction, le)} redirects to ${target.link.name} (${action.direction})`,
        });
      return action.direction === 'egress' ? w.transmit(target, frame) : w.receive(target, frame);
    }
  }
}

const where = (direction: 'ingress' | 'egress', le: LinkEntry): string => `${direction} filter on ${le.link.name}`;

/** The walk stops at a filter: dropped (a drop, a redirect mirred cannot make) or unknown. */
function stop(
  w: Walk,
  le: LinkEntry,
  direction: 'ingress' | 'egress',
  verdict: 'dropped' | 'unknown',
  f: TcFilter | undefined,
  reason: string,
): Outcome {
  return w.stop({
    ns: le.netns,
    link: le,
    component: 'tc',
    verdict,
    reason,
    ...(f ? { rule: tcRule(le, f) } : {}),
    // A shot frame (a drop, or a redirect mirred cannot make) is freed by the hook that ran the filter.
    ...(verdict === 'dropped' ? { dropReason: direction === 'egress' ? 'TC_EGRESS' : 'TC_INGRESS' } : {}),
  });
}

/** The filter as a hop names it: device and direction, preference, its text, the command listing it. */
function tcRule(le: LinkEntry, f: TcFilter): HopRule {
  return {
    backend: 'tc',
    host: le.ref.host,
    netns: le.ref.netns,
    family: f.direction,
    table: f.dev,
    chain: String(f.chain ?? 0),
    handle: f.pref,
    text: tcFilterText(f),
    command: commandIn(le.netns.ns, ['tc', '-s', 'filter', 'show', 'dev', f.dev, f.direction]),
  };
}
