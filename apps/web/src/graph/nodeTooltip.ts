import type { NodeSingular } from 'cytoscape';

/** What the pointer's node is: its label, its worst finding, and what a click does to a box. */
export function nodeTooltip(n: NodeSingular): string {
  const worst = n.classes().find((c) => c.startsWith('finding-'));
  return [
    String(n.data('label')),
    ...(worst ? [`worst finding: ${worst.slice('finding-'.length)}`] : []),
    ...(n.hasClass('collapsed') ? ['click to expand'] : []),
  ].join('\n');
}
