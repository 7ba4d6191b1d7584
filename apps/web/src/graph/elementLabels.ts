import type { GraphEdge, GraphNode, HostKind } from '@hoplens/model';
import { plural } from '../format/plural.ts';

/** Glyphs before a host's name, one per host kind, as the legend shows them. */
export const HOST_ICONS: Readonly<Record<HostKind, string>> = { node: '▣', 'pod-vm': '◈', other: '○' };
/** The glyph of an Open vSwitch bridge, drawn as a switch. */
export const OVS_BRIDGE_ICON = '⇄';
/** Glyph of a tunnel remote no collected host owns. */
export const REMOTE_ICON = '?';

/** What the graph writes on a node: an interface's MAC under its name, a host's kind, a box's counts. */
export function nodeLabel(n: GraphNode): string {
  switch (n.kind) {
    case 'interface':
      if (n.ovs?.role === 'bridge') return `${OVS_BRIDGE_ICON} ${n.label}\nOVS ${n.ovs.datapath}`;
      return [n.label, ...(n.mac ? [n.mac] : []), ...(n.ovs?.role === 'port' && n.ovs.pod ? [n.ovs.pod] : [])].join(
        '\n',
      );
    case 'remote':
      return `${REMOTE_ICON} ${n.label}`;
    case 'host': {
      const title = `${HOST_ICONS[n.hostKind]} ${n.label}`;
      const c = n.collapsed;
      if (!c) return title;
      const counts = [plural(c.pods, 'pod'), plural(c.interfaces, 'if')];
      if (c.tunnels) counts.push(plural(c.tunnels, 'tunnel'));
      if (c.findings) counts.push(`${c.findings} ⚠`);
      return `${title}\n${counts.join(' · ')}`;
    }
    case 'netns':
    case 'pod':
      return n.label;
  }
}

/** What the graph writes along an edge: a tunnel's VNI or why it is broken, a neighbor's IP and MAC. */
export function edgeLabel(e: GraphEdge): string {
  switch (e.kind) {
    case 'vxlan-tunnel':
      return e.reason ?? e.untold ?? `VNI ${e.vni}`;
    case 'neighbor':
      return `${e.ip} → ${e.mac}`;
    case 'tc-redirect':
      return `${e.hook} redirect`;
    case 'underlay':
      return e.via === 'socket' ? 'socket' : '';
    case 'ovs-port':
      return e.reason ?? (e.ofport === undefined ? '' : `port ${e.ofport}`);
    case 'summed':
      return e.count > 1 ? `${e.count}× ${e.of}` : (e.reason ?? e.of);
    case 'contains':
    case 'veth':
    case 'bridge-port':
      return '';
  }
}
