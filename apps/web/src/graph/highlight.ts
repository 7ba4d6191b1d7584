import type { Core } from 'cytoscape';
import { SEVERITY_RANK, type Severity } from '@hoplens/model';
import type { PathElements } from './pathElements.ts';
import { isMismatchLink } from './mismatchLinks.ts';
import { pathOverlay, STEP_CLASS } from './pathOverlay.ts';

/** How an element differs from the snapshot it is compared with. */
export type DiffMark = 'added' | 'changed' | 'removed';

/** What the graph emphasises on top of its elements: a path, a severity filter, a diff, a selection. */
export interface Highlight {
  readonly path: PathElements | undefined;
  /** Only elements with a finding at least this severe stay bright. */
  readonly severity: Severity | undefined;
  /** Elements marked by a comparison (ids already mapped onto what is drawn). */
  readonly diff: ReadonlyMap<string, DiffMark> | undefined;
  readonly selected: string | undefined;
}

const CLASSES = 'dimmed on-path path-start drop stop-unknown diff-added diff-changed diff-removed selected-el';
const SEVERITIES = Object.keys(SEVERITY_RANK) as Severity[];

/**
 * Applies a highlight in one batch. With a path, its steps are drawn over the graph, the path is
 * bright and everything else dimmed (the boxes that hold a bright element stay readable); with a
 * severity filter, so are elements with findings at least that severe.
 */
export function applyHighlight(cy: Core, h: Highlight): void {
  cy.batch(() => {
    cy.edges(`.${STEP_CLASS}`).remove();
    cy.elements().removeClass(CLASSES);
    let bright: Set<string> | undefined;
    let brightEdges: ((id: string, source: string, target: string) => boolean) | undefined;
    if (h.path) {
      const path = h.path;
      bright = new Set(path.nodes);
      const steps = cy.add(pathOverlay(path, (id) => cy.getElementById(id).nonempty()));
      const drawnSteps = new Set(steps.map((e) => e.id()));
      // The mismatched pair's link explains the drop: it stays readable beside the path.
      brightEdges = (id) => path.edges.has(id) || drawnSteps.has(id) || isMismatchLink(id);
      for (const id of path.nodes) cy.getElementById(id).addClass('on-path');
      for (const id of path.edges) cy.getElementById(id).addClass('on-path');
      if (path.start) cy.getElementById(path.start).addClass('path-start');
      if (path.dropAt) cy.getElementById(path.dropAt).addClass('drop');
      if (path.unknownAt) cy.getElementById(path.unknownAt).addClass('stop-unknown');
    } else if (h.severity) {
      const min = SEVERITY_RANK[h.severity];
      const selector = SEVERITIES.filter((s) => SEVERITY_RANK[s] >= min)
        .map((s) => `.finding-${s}`)
        .join(', ');
      const hit = new Set(cy.nodes(selector).map((n) => n.id()));
      bright = hit;
      brightEdges = (_id, s, t) => hit.has(s) && hit.has(t);
    }
    if (bright) {
      const keep = new Set(bright);
      for (const id of bright)
        cy.getElementById(id)
          .ancestors()
          .forEach((a) => void keep.add(a.id()));
      cy.nodes().forEach((n) => {
        if (!keep.has(n.id())) n.addClass('dimmed');
      });
      cy.edges().forEach((e) => {
        if (!brightEdges?.(e.id(), e.source().id(), e.target().id())) e.addClass('dimmed');
      });
    }
    for (const [id, mark] of h.diff ?? []) cy.getElementById(id).addClass(`diff-${mark}`);
    if (h.selected) cy.getElementById(h.selected).addClass('selected-el');
  });
}
