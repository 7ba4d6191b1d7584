import type { UrlState } from './urlState.ts';

/**
 * Whether the user went somewhere else while a long task (an import) ran: another snapshot, a
 * comparison, a pod's path (its destination, protocol, port or branch), a probe or a selection. Panning, zooming, searching or opening groups
 * is looking around the same place. Opening the task's result then would take the user away from
 * what they turned to; it is offered instead (the new-snapshot notice).
 */
export function movedOn(from: UrlState, now: UrlState): boolean {
  return (
    from.snapshot !== now.snapshot ||
    from.vs !== now.vs ||
    from.pod !== now.pod ||
    from.to !== now.to ||
    from.proto !== now.proto ||
    from.port !== now.port ||
    from.branch !== now.branch ||
    from.probe !== now.probe ||
    from.sel !== now.sel
  );
}
