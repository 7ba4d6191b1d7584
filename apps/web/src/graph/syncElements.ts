import type { Core, ElementDefinition } from 'cytoscape';
import type { Position } from './layoutPositions.ts';

/**
 * Brings the drawn graph to `defs` by difference: elements no longer wanted go, new ones come, kept ones
 * get their new label and classes. Nothing kept is re-created, so expanding one group costs what it
 * adds, and nothing moves that the user did not move. Leaves sit at `dragged` if the user put them
 * somewhere, else at their computed position.
 */
export function syncElements(
  cy: Core,
  defs: readonly ElementDefinition[],
  dragged: ReadonlyMap<string, Position>,
): void {
  const wanted = new Set(defs.map((d) => d.data.id));
  cy.batch(() => {
    cy.elements()
      .filter((el) => !wanted.has(el.id()))
      .remove();
    const added: ElementDefinition[] = [];
    for (const d of defs) {
      const el = cy.getElementById(d.data.id ?? '');
      if (el.empty()) {
        // Cytoscape keeps the data and position objects it is given and moves the node by writing to
        // them: given the definitions' own, a drag would move the computed layout too.
        added.push({ ...d, data: { ...d.data }, ...(d.position ? { position: { ...d.position } } : {}) });
        continue;
      }
      // A node's parent is fixed by its id (host ⊃ netns ⊃ interface): only the rest is updated.
      const data: Record<string, unknown> = { ...d.data };
      delete data.parent;
      el.data(data);
      el.classes(d.classes ?? '');
    }
    cy.add(added);
    const computed = new Map(defs.flatMap((d) => (d.position && d.data.id ? [[d.data.id, d.position] as const] : [])));
    cy.nodes().forEach((n) => {
      if (!n.isChildless()) return;
      const p = dragged.get(n.id()) ?? computed.get(n.id());
      if (p) n.position({ x: p.x, y: p.y });
    });
  });
}
