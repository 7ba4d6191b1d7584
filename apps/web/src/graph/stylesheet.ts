import type { StylesheetJson } from 'cytoscape';

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
  path: '#0f9d76',
  drop: '#c4161c',
  edge: '#9aa5b8',
  tunnel: '#7b3fd1',
  tc: '#d17b00',
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
  {
    selector: 'node.finding-fatal',
    style: { 'border-width': 4, 'border-color': COLORS.fatal, 'background-color': COLORS.fatal, color: COLORS.fatal },
  },
  { selector: 'node.finding-critical', style: { 'border-width': 4, 'border-color': COLORS.critical } },
  { selector: 'node.finding-warning', style: { 'border-width': 3, 'border-color': COLORS.warning } },
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
  { selector: 'edge.underlay', style: { 'line-color': '#5b6475', width: 3 } },
  { selector: 'edge.contains', style: { 'line-color': COLORS.pod, 'line-style': 'dashed', width: 1, label: '' } },
  {
    selector: 'edge.broken',
    style: { 'line-color': COLORS.fatal, 'line-style': 'dashed', width: 3, color: COLORS.fatal },
  },
  {
    selector: 'edge.summed',
    style: { width: 'mapData(weight, 1, 50, 2, 8)', 'line-opacity': 0.6, 'font-size': 11, label: 'data(label)' },
  },
  { selector: '.dimmed', style: { opacity: 0.18 } },
  { selector: 'node.diff-added', style: { 'border-width': 5, 'border-color': COLORS.added, 'border-style': 'double' } },
  {
    selector: 'node.diff-changed',
    style: { 'border-width': 5, 'border-color': COLORS.changed, 'border-style': 'double' },
  },
  {
    selector: 'node.diff-removed',
    style: { 'border-width': 5, 'border-color': COLORS.changed, 'border-style': 'dashed' },
  },
  {
    selector: 'node.selected-el',
    style: { 'overlay-color': COLORS.selected, 'overlay-opacity': 0.25, 'overlay-padding': 6 },
  },
  { selector: 'node.on-path', style: { 'border-width': 4, 'border-color': COLORS.path, opacity: 1 } },
  { selector: 'edge.on-path', style: { 'line-color': COLORS.path, width: 5, opacity: 1, 'z-index': 10 } },
  {
    selector: 'node.drop',
    style: { 'border-width': 6, 'border-color': COLORS.drop, 'background-color': COLORS.drop, opacity: 1 },
  },
  { selector: 'node:selected', style: { 'overlay-color': '#3b6fd8', 'overlay-opacity': 0.15 } },
];
