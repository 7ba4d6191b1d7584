import { HOST_ICONS, REMOTE_ICON } from './elementLabels.ts';
import { COLORS } from './stylesheet.ts';

/** How the legend draws a sample of what an entry explains. */
export type LegendSample =
  | {
      readonly kind: 'shape';
      readonly shape: 'box' | 'hexagon' | 'octagon' | 'diamond';
      readonly fill: string;
      readonly border: string;
      readonly borderStyle?: 'solid' | 'dashed' | 'double';
      readonly icon?: string;
    }
  | {
      readonly kind: 'line';
      readonly color: string;
      readonly style?: 'solid' | 'dashed' | 'dotted';
      readonly width?: number;
      readonly arrow?: 'triangle' | 'tee' | 'diamond';
    };

/** One line of the legend: a sample, what it means, and the stylesheet selectors it explains. */
export interface LegendEntry {
  readonly label: string;
  readonly sample: LegendSample;
  readonly explains: readonly string[];
}

const box = (fill: string, border: string, extra: Partial<Extract<LegendSample, { kind: 'shape' }>> = {}) =>
  ({ kind: 'shape', shape: 'box', fill, border, ...extra }) as const;
const line = (color: string, extra: Partial<Extract<LegendSample, { kind: 'line' }>> = {}) =>
  ({ kind: 'line', color, ...extra }) as const;

/** Every shape, line and colour the graph draws, by group; a test checks none is left out. */
export const LEGEND: Readonly<Record<'Shapes' | 'Lines' | 'Path' | 'Colours', readonly LegendEntry[]>> = {
  Shapes: [
    { label: 'node', sample: box(COLORS.host, COLORS.hostBorder, { icon: HOST_ICONS.node }), explains: ['node.host'] },
    {
      label: 'pod VM',
      sample: box(COLORS.podVm, COLORS.podVmBorder, { icon: HOST_ICONS['pod-vm'] }),
      explains: ['node.host-pod-vm'],
    },
    {
      label: 'other host',
      sample: box(COLORS.host, COLORS.hostBorder, { borderStyle: 'double', icon: HOST_ICONS.other }),
      explains: ['node.host-other'],
    },
    {
      label: 'host group, folded (click to open); red when it holds a fatal finding',
      sample: box('#fde2e2', COLORS.fatal),
      explains: ['node.host.collapsed', 'node.collapsed.finding-fatal'],
    },
    {
      label: 'network namespace',
      sample: box(COLORS.netns, COLORS.netnsBorder, { borderStyle: 'dashed' }),
      explains: ['node.netns'],
    },
    {
      label: 'interface, its MAC under its name',
      sample: box(COLORS.iface, COLORS.iface),
      explains: ['node.interface'],
    },
    {
      label: 'interface down or without carrier',
      sample: box(COLORS.down, COLORS.down),
      explains: ['node.interface.down'],
    },
    {
      label: 'pod',
      sample: { kind: 'shape', shape: 'hexagon', fill: COLORS.pod, border: COLORS.pod },
      explains: ['node.pod'],
    },
    {
      label: 'Open vSwitch bridge, its ports around it',
      sample: box(COLORS.ovs, COLORS.ovs),
      explains: ['node.ovs-bridge'],
    },
    {
      label: 'tunnel remote no host owns',
      sample: box(COLORS.host, COLORS.fatal, { borderStyle: 'dashed', icon: REMOTE_ICON }),
      explains: ['node.remote'],
    },
  ],
  Lines: [
    { label: 'VXLAN tunnel (its VNI)', sample: line(COLORS.tunnel, { width: 3 }), explains: ['edge.vxlan-tunnel'] },
    { label: 'tc redirect', sample: line(COLORS.tc, { arrow: 'triangle' }), explains: ['edge.tc-redirect'] },
    { label: 'veth pair, bridge port', sample: line(COLORS.edge), explains: ['edge'] },
    { label: 'Open vSwitch port (⇄ its bridge)', sample: line(COLORS.ovs), explains: ['edge.ovs-port'] },
    {
      label: 'underlay: a wire between hosts, or "socket" to the device a tunnel sends through',
      sample: line(COLORS.underlay, { width: 3 }),
      explains: ['edge.underlay'],
    },
    {
      label: 'neighbor (ARP) entry: IP → MAC',
      sample: line(COLORS.neighbor, { style: 'dotted', arrow: 'triangle', width: 1 }),
      explains: ['edge.neighbor'],
    },
    {
      label: 'pod in its namespace',
      sample: line(COLORS.pod, { style: 'dashed', width: 1 }),
      explains: ['edge.contains'],
    },
    {
      label: 'broken tunnel (why, on it)',
      sample: line(COLORS.fatal, { style: 'dashed', width: 3 }),
      explains: ['edge.broken'],
    },
    {
      label: 'tunnel whose other end was not collected: unknown (why, on it)',
      sample: line(COLORS.unknown, { style: 'dashed', width: 3 }),
      explains: ['edge.untold'],
    },
    {
      label: 'edges between folded groups: thicker for more',
      sample: line(COLORS.edge, { width: 6 }),
      explains: ['edge.summed'],
    },
    {
      label: 'two MACs that must match and differ, both on the link',
      sample: line(COLORS.mismatch, { arrow: 'diamond' }),
      explains: ['edge.mismatch'],
    },
  ],
  Path: [
    {
      label: 'request, with the numbers of the hop list',
      sample: line(COLORS.request, { width: 4, arrow: 'triangle' }),
      explains: ['edge.path-step', 'edge.path-request'],
    },
    { label: 'reply', sample: line(COLORS.reply, { width: 4, arrow: 'triangle' }), explains: ['edge.path-reply'] },
    {
      label: 'tunnel crossed',
      sample: line(COLORS.request, { width: 7, arrow: 'triangle' }),
      explains: ['edge.path-tunnel'],
    },
    {
      label: 'the outer packet beneath the tunnel',
      sample: line(COLORS.request, { width: 2, arrow: 'triangle' }),
      explains: ['edge.path-underlay'],
    },
    { label: 'where the path starts', sample: box(COLORS.iface, COLORS.request), explains: ['node.path-start'] },
    {
      label: 'dropped here: the last step ends in a bar',
      sample: { kind: 'shape', shape: 'octagon', fill: COLORS.drop, border: '#5c0a0d', icon: '✖' },
      explains: ['node.drop', 'edge.path-drop'],
    },
    {
      label: 'the path stops here: hoplens cannot tell what the kernel does (unknown)',
      sample: { kind: 'shape', shape: 'diamond', fill: '#fff3bf', border: COLORS.unknown, icon: '?' },
      explains: ['node.stop-unknown'],
    },
    {
      label: 'off the path, or below the severity filter',
      sample: box('#c8d5f3', '#c8d5f3'),
      explains: ['.dimmed', 'node.on-path', 'edge.on-path'],
    },
  ],
  Colours: [
    {
      label: 'ring: concerned by a fatal finding',
      sample: box('#fff', COLORS.fatal),
      explains: ['node.finding-fatal'],
    },
    { label: 'ring: critical finding', sample: box('#fff', COLORS.critical), explains: ['node.finding-critical'] },
    { label: 'ring: warning', sample: box('#fff', COLORS.warning), explains: ['node.finding-warning'] },
    {
      label: 'outer ring: added since the compared snapshot',
      sample: box('#fff', COLORS.added, { borderStyle: 'double' }),
      explains: ['node.diff-added'],
    },
    {
      label: 'outer ring: changed',
      sample: box('#fff', COLORS.changed, { borderStyle: 'double' }),
      explains: ['node.diff-changed'],
    },
    {
      label: 'outer ring: removed',
      sample: box('#fff', COLORS.changed, { borderStyle: 'dashed' }),
      explains: ['node.diff-removed'],
    },
    { label: 'selected', sample: box('#c9d6f7', COLORS.selected), explains: ['node.selected-el', 'node:selected'] },
  ],
};
