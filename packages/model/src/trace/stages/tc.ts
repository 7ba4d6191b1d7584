import type { LinkEntry } from '../../topology/snapshotIndex.ts';
import type { Outcome } from '../outcome.ts';
import type { Frame } from '../packet.ts';
import type { Walk } from '../walk.ts';

/**
 * tc filters of a device in one direction (`sch_handle_ingress` / `sch_handle_egress`): the first
 * filter that matches every packet and redirects it takes the frame to its target, which then
 * receives or transmits it. Returns undefined when the frame goes on its way.
 */
export function tcClassify(w: Walk, le: LinkEntry, direction: 'ingress' | 'egress', frame: Frame): Outcome | undefined {
  for (const f of w.index.tcFiltersOf(le, direction)) {
    if (!f.matchesAll) continue;
    for (const action of f.actions) {
      if (action.kind !== 'mirred' || !('action' in action) || action.action !== 'redirect') continue;
      const target = w.index.linkByName(le.netns.ref, action.targetDev);
      if (!target) {
        return w.stop({
          ns: le.netns,
          link: le,
          component: 'tc',
          verdict: 'dropped',
          reason: `${direction} filter on ${le.link.name} redirects to ${action.targetDev}, which does not exist`,
        });
      }
      w.hop({
        ns: le.netns,
        link: le,
        component: 'tc',
        action: 'forwarded',
        verdict: 'ok',
        reason: `${direction} filter on ${le.link.name} redirects to ${target.link.name} (${action.direction})`,
      });
      return action.direction === 'egress' ? w.transmit(target, frame) : w.receive(target, frame);
    }
  }
  return undefined;
}
