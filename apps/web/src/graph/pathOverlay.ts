import type { ElementDefinition } from 'cytoscape';
import type { PathElements, PathStep } from './pathElements.ts';

/** Classes every drawn step carries, to find and remove them. */
export const STEP_CLASS = 'path-step';

const hopLabel = (s: PathStep): string => {
  const [first, last] = s.hops;
  const numbers = first === last ? `${first}` : `${first}–${last}`;
  return s.kind === 'tunnel' ? `${numbers} tunnel` : numbers;
};

/**
 * The path drawn over the graph: one arrow per step, coloured by direction (request or reply),
 * labelled with the numbers of the hops at its end as the hop list counts them; a tunnel crossing is
 * a heavy arrow over the thin ones of its underlay, and the step into the drop ends in a bar. Steps
 * between elements not drawn (a collapsed group) are left out.
 */
export function pathOverlay(path: PathElements, drawn: (id: string) => boolean): ElementDefinition[] {
  return path.steps.flatMap((s, i) => {
    if (!drawn(s.from) || !drawn(s.to)) return [];
    const drop = s.to === path.dropAt && path.dropHop !== undefined && s.hops[1] === path.dropHop;
    const classes = [STEP_CLASS, `path-${s.direction}`, `path-${s.kind}`, ...(drop ? ['path-drop'] : [])];
    return [
      {
        group: 'edges' as const,
        data: { id: `path:${s.direction}:${i}`, source: s.from, target: s.to, label: hopLabel(s), kind: 'path' },
        classes: classes.join(' '),
      },
    ];
  });
}
