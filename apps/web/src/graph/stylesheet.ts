import type { NodeSingular, StylesheetJson } from 'cytoscape';

export const COLORS = {
  host: '#f4f6fa',
  hostBorder: '#8a94a6',
  netns: '#ffffff',
  netnsBorder: '#b7c0cf',
  iface: '#3b6fd8',
  down: '#a0a7b4',
  pod: '#0f9d76',
  fatal: '#c4161c',
  critical: '#e8590c',
  warning: '#f0a30a',
  info: '#4c8bf5',
  /** The request's steps: not compare's "added" green, nor any severity. */
  request: '#0c8599',
  /** The reply's steps. */
  reply: '#3b4fc4',
  drop: '#c4161c',
  /** Where a walk stopped because hoplens cannot tell what the kernel does there. */
  unknown: '#7a6a00',
  /** The link between two interfaces whose MACs must match and differ. */
  mismatch: '#c2255c',
  underlay: '#5b6475',
  edge: '#9aa5b8',
  tunnel: '#7b3fd1',
  tc: '#d17b00',
  ovs: '#2b7a9b',
  neighbor: '#6c7a91',
  podVm: '#eef4ff',
  podVmBorder: '#5b7fd6',
  added: '#1f9d55',
  changed: '#b04fd6',
  selected: '#1d4ed8',
} as const;

/**
 * Styles by class: toElements gives each element the classes its kind and state call for, so no style
 * reads element data but the label and a summed edge's width (mapped from how many edges it sums).
 */
/** The outer ring of a compared node: outside its border, which a finding's ring may hold. */
const DIFF_RING = { 'outline-width': 4, 'outline-offset': 3, 'outline-style': 'double', 'outline-opacity': 1 } as const;

export const STYLESHEET: StylesheetJson = [
  {
    selector: 'node',
    style: {
      label: 'data(label)',
      'font-size': 11,
      'text-wrap': 'wrap',
      'font-family': 'ui-monospace, monospace',
      // Zoomed out over thousands of boxes, labels too small to read are not drawn at all.
      'min-zoomed-font-size': 7,
    },
  },
  {
    selector: 'node.host',
    style: {
      'background-color': COLORS.host,
      'border-color': COLORS.hostBorder,
      'border-width': 2,
      shape: 'round-rectangle',
      'text-valign': 'top',
      'text-halign': 'center',
      'font-weight': 'bold',
      'font-size': 14,
      padding: '24px',
    },
  },
  { selector: 'node.host-pod-vm', style: { 'background-color': COLORS.podVm, 'border-color': COLORS.podVmBorder } },
  { selector: 'node.host-other', style: { 'border-style': 'double', 'border-width': 4 } },
  {
    selector: 'node.host.collapsed',
    style: {
      width: 200,
      height: 90,
      'text-valign': 'center',
      'font-size': 13,
      'font-weight': 'normal',
      padding: '0px',
      // Drawn first: an expanded group covers the collapsed boxes its slot grows across.
      'z-compound-depth': 'bottom',
    },
  },
  {
    selector: 'node.remote',
    style: {
      'background-color': COLORS.host,
      'border-color': COLORS.fatal,
      'border-width': 2,
      'border-style': 'dashed',
      shape: 'round-rectangle',
      width: 60,
      height: 30,
      'text-valign': 'top',
      'text-halign': 'center',
      'font-weight': 'bold',
      'font-size': 14,
    },
  },
  {
    selector: 'node.netns',
    style: {
      'background-color': COLORS.netns,
      'border-color': COLORS.netnsBorder,
      'border-width': 1,
      'border-style': 'dashed',
      shape: 'round-rectangle',
      'text-valign': 'top',
      'text-halign': 'center',
      'font-size': 11,
      color: '#53607a',
      padding: '18px',
    },
  },
  {
    selector: 'node.interface',
    style: {
      'background-color': COLORS.iface,
      shape: 'round-rectangle',
      width: 26,
      height: 18,
      'text-valign': 'bottom',
      'text-margin-y': 4,
      color: '#1d2433',
    },
  },
  // Down or without carrier.
  { selector: 'node.interface.down', style: { 'background-color': COLORS.down } },
  {
    selector: 'node.ovs-bridge',
    style: { 'background-color': COLORS.ovs, shape: 'barrel', width: 54, height: 26, 'font-weight': 'bold' },
  },
  {
    selector: 'node.pod',
    style: {
      'background-color': COLORS.pod,
      shape: 'hexagon',
      width: 36,
      height: 32,
      'text-valign': 'top',
      'text-margin-y': -4,
      'font-weight': 'bold',
      color: '#0b5d46',
    },
  },
  // Concerned by a finding: a ring in its severity's colour (the fill is kept for where a packet dies).
  { selector: 'node.finding-fatal', style: { 'border-width': 4, 'border-color': COLORS.fatal, color: COLORS.fatal } },
  { selector: 'node.finding-critical', style: { 'border-width': 4, 'border-color': COLORS.critical } },
  { selector: 'node.finding-warning', style: { 'border-width': 3, 'border-color': COLORS.warning } },
  // A collapsed group's box is filled by its worst finding: there is no path drawn inside it.
  { selector: 'node.collapsed.finding-fatal', style: { 'background-color': '#fde2e2' } },
  {
    selector: 'edge',
    style: {
      width: 2,
      'line-color': COLORS.edge,
      'curve-style': 'bezier',
      'font-size': 9,
      label: 'data(label)',
      'text-rotation': 'autorotate',
      color: '#53607a',
    },
  },
  { selector: 'edge.ovs-port', style: { 'line-color': COLORS.ovs, width: 2 } },
  { selector: 'edge.vxlan-tunnel', style: { 'line-color': COLORS.tunnel, width: 3, 'line-style': 'solid' } },
  {
    selector: 'edge.tc-redirect',
    style: {
      'line-color': COLORS.tc,
      'target-arrow-shape': 'triangle',
      'target-arrow-color': COLORS.tc,
      'curve-style': 'unbundled-bezier',
      label: '',
    },
  },
  {
    selector: 'edge.neighbor',
    style: {
      'line-color': COLORS.neighbor,
      'line-style': 'dotted',
      'target-arrow-shape': 'vee',
      'target-arrow-color': COLORS.neighbor,
      width: 1,
    },
  },
  { selector: 'edge.underlay', style: { 'line-color': COLORS.underlay, width: 3 } },
  { selector: 'edge.contains', style: { 'line-color': COLORS.pod, 'line-style': 'dashed', width: 1, label: '' } },
  {
    selector: 'edge.broken',
    style: { 'line-color': COLORS.fatal, 'line-style': 'dashed', width: 3, color: COLORS.fatal },
  },
  {
    selector: 'edge.untold',
    style: { 'line-color': COLORS.unknown, 'line-style': 'dashed', width: 3, color: COLORS.unknown },
  },
  {
    selector: 'edge.summed',
    style: { width: 'mapData(weight, 1, 50, 2, 8)', 'line-opacity': 0.6, 'font-size': 11, label: 'data(label)' },
  },
  { selector: '.dimmed', style: { opacity: 0.18 } },
  // Diff marks are an outer ring (an outline, off the border), so a finding's ring stays seen inside it.
  { selector: 'node.diff-added', style: { ...DIFF_RING, 'outline-color': COLORS.added } },
  { selector: 'node.diff-changed', style: { ...DIFF_RING, 'outline-color': COLORS.changed } },
  {
    selector: 'node.diff-removed',
    style: { ...DIFF_RING, 'outline-color': COLORS.changed, 'outline-style': 'dashed' },
  },
  {
    selector: 'node.selected-el',
    style: { 'overlay-color': COLORS.selected, 'overlay-opacity': 0.25, 'overlay-padding': 6 },
  },
  {
    selector: 'edge.mismatch',
    style: {
      'line-color': COLORS.mismatch,
      width: 2,
      'source-arrow-shape': 'diamond',
      'target-arrow-shape': 'diamond',
      'source-arrow-color': COLORS.mismatch,
      'target-arrow-color': COLORS.mismatch,
      'curve-style': 'unbundled-bezier',
      'control-point-distances': [-60],
      color: COLORS.mismatch,
      'font-size': 11,
      'font-weight': 'bold',
      'font-family': 'ui-monospace, monospace',
      'text-rotation': 'none',
      'text-background-color': '#fff',
      'text-background-opacity': 0.9,
      'text-background-padding': '2px',
      'z-index': 15,
    },
  },
  { selector: 'edge.on-path', style: { opacity: 1, width: 3, 'z-index': 10 } },
  {
    selector: 'edge.path-step',
    style: {
      width: 4,
      'curve-style': 'bezier',
      'target-arrow-shape': 'triangle',
      'arrow-scale': 1.3,
      label: 'data(label)',
      'font-size': 12,
      'font-weight': 'bold',
      'text-rotation': 'none',
      'text-background-color': '#fff',
      'text-background-opacity': 0.9,
      'text-background-padding': '2px',
      'z-index': 20,
    },
  },
  {
    selector: 'edge.path-request',
    style: { 'line-color': COLORS.request, 'target-arrow-color': COLORS.request, color: COLORS.request },
  },
  {
    selector: 'edge.path-reply',
    style: { 'line-color': COLORS.reply, 'target-arrow-color': COLORS.reply, color: COLORS.reply },
  },
  // The outer packet beneath a tunnel: thin, under the tunnel's heavy arrow.
  { selector: 'edge.path-underlay', style: { width: 2, 'arrow-scale': 0.9, 'font-size': 10, 'z-index': 19 } },
  { selector: 'edge.path-tunnel', style: { width: 7, 'z-index': 21 } },
  // The step into the drop ends in a bar: the packet goes no further.
  { selector: 'edge.path-drop', style: { 'target-arrow-shape': 'tee', 'target-arrow-color': COLORS.drop } },
  { selector: 'node.on-path', style: { opacity: 1 } },
  { selector: 'node.path-start', style: { 'border-width': 4, 'border-color': COLORS.request } },
  // Where the packet dies: its own symbol, a filled stop sign, and the word on the graph.
  {
    selector: 'node.drop',
    style: {
      shape: 'octagon',
      width: 34,
      height: 34,
      'background-color': COLORS.drop,
      'border-width': 3,
      'border-color': '#5c0a0d',
      label: (ele: NodeSingular) => `✖ dropped\n${String(ele.data('label'))}`,
      color: COLORS.drop,
      'font-weight': 'bold',
      opacity: 1,
    },
  },
  // Where the walk stopped not knowing what the kernel does: a question, not a drop.
  {
    selector: 'node.stop-unknown',
    style: {
      shape: 'diamond',
      width: 34,
      height: 34,
      'background-color': '#fff3bf',
      'border-width': 3,
      'border-color': COLORS.unknown,
      label: (ele: NodeSingular) => `? cannot tell\n${String(ele.data('label'))}`,
      color: COLORS.unknown,
      'font-weight': 'bold',
      opacity: 1,
    },
  },
  { selector: 'node:selected', style: { 'overlay-color': '#3b6fd8', 'overlay-opacity': 0.15 } },
  // ARP labels switched off: they cover the interface names they run past.
  { selector: 'edge.neighbor.quiet', style: { label: '' } },
];

/**
 * What the dark theme changes on the graph, by the selector of the rule it changes: boxes and text.
 * The colours that carry meaning (severity, path, drop, diff) stay as the legend shows them.
 */
const DARK: Readonly<Record<string, Record<string, string>>> = {
  node: { color: '#dde3ee' },
  'node.host': { 'background-color': '#1f2533', 'border-color': '#6c7a91' },
  'node.host-pod-vm': { 'background-color': '#1c2740' },
  'node.remote': { 'background-color': '#1f2533' },
  'node.netns': { 'background-color': '#181d28', 'border-color': '#465066', color: '#9aa5b8' },
  'node.interface': { color: '#dde3ee' },
  'node.pod': { color: '#5fd3ad' },
  'node.finding-fatal': { color: '#ff8a8e' },
  'node.collapsed.finding-fatal': { 'background-color': '#4a1d22' },
  edge: { color: '#9aa5b8' },
};

/** The stylesheet for a theme: the dark one changes rules in place, so later rules still win. */
export function themedStylesheet(theme: 'light' | 'dark'): StylesheetJson {
  if (theme === 'light') return STYLESHEET;
  return STYLESHEET.map<StylesheetJson[number]>((rule) => {
    const dark = DARK[rule.selector];
    return dark && 'style' in rule ? { ...rule, style: { ...rule.style, ...dark } } : rule;
  });
}
