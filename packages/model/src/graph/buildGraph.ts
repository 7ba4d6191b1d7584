import { hostId, interfaceId, netnsId, netnsLabel, podId } from '../ids.ts';
import type { Graph, GraphEdge, GraphNode } from '../schema/graph.ts';
import type { LinkEntry, SnapshotIndex } from '../topology/snapshotIndex.ts';
import { vethPairs } from '../topology/vethPairs.ts';
import { tcRedirects } from '../topology/tcRedirects.ts';
import { tunnelPeer } from '../topology/tunnelPeer.ts';
import { ovsDetails, ovsPortEdges } from './ovsGraph.ts';

/**
 * Derives the topology graph from a snapshot: compound nodes host ⊃ netns ⊃ interface, pods linked
 * to the namespaces that hold them, and edges for veth pairs, bridge and Open vSwitch ports, tc
 * redirects, VXLAN tunnels (broken when an end has no partner), underlay and neighbor entries. Loopback devices are left out.
 */
export function buildGraph(index: SnapshotIndex): Graph {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  // Namespaces and interfaces are unique by construction (the index keys them by reference); only
  // hosts, placeholders and pods, which a snapshot may repeat, go through this set.
  const nodeIds = new Set<string>();
  const addNode = (n: GraphNode): void => {
    if (nodeIds.has(n.id)) return;
    nodeIds.add(n.id);
    nodes.push(n);
  };
  // Edges seen from both ends (tunnels) or that a snapshot may repeat (tc filters) are deduplicated;
  // the rest are unique by construction and skip the set: a 5,000-node graph has ~10⁶ of them.
  const edgeIds = new Set<string>();
  const addEdge = (e: Omit<GraphEdge, 'id'>, key?: string, unique = false): void => {
    const id = `${e.kind}:${key ?? `${e.source}>${e.target}`}`;
    if (!unique) {
      if (edgeIds.has(id)) return;
      edgeIds.add(id);
    }
    edges.push({ id, ...e });
  };

  for (const host of index.snapshot.hosts) {
    addNode({
      id: hostId(host.name),
      kind: 'host',
      label: host.name,
      details: { kind: host.kind, errors: String(host.errors.length) },
    });
  }
  for (const ns of index.namespaces) {
    nodes.push({
      id: netnsId(ns.ref),
      kind: 'netns',
      label: netnsLabel(ns.ns.name),
      parent: hostId(ns.ref.host),
      details: { root: String(ns.ns.root) },
    });
  }
  const visible = index.links.filter((le) => le.link.kind !== 'loopback');
  for (const le of visible) nodes.push(interfaceNode(index, le));

  for (const { a: le, b: peer, mutual } of vethPairs(index).pairs) {
    const [a, b] = le.id < peer.id ? [le.id, peer.id] : [peer.id, le.id];
    const kind = peer.ref.host === le.ref.host ? 'veth' : 'underlay';
    // A mutual pair is listed once and its edge is unique; one listed from both ends is deduplicated.
    addEdge({ kind, source: a, target: b, label: '', broken: false, details: NO_DETAILS }, undefined, mutual);
  }
  for (const le of visible) {
    if (le.link.masterIfindex !== undefined) {
      const master = le.netns.linksByIndex.get(le.link.masterIfindex);
      if (master)
        addEdge(
          { kind: 'bridge-port', source: le.id, target: master.id, label: '', broken: false, details: NO_DETAILS },
          undefined,
          true,
        );
    }
    if (le.link.vxlan) addTunnelEdges(index, le, addNode, addEdge);
  }

  for (const e of ovsPortEdges(index)) addEdge(e, undefined, true);

  for (const r of tcRedirects(index)) {
    if (!r.to) continue;
    addEdge({
      kind: 'tc-redirect',
      source: r.from.id,
      target: r.to.id,
      label: `${r.hook} redirect`,
      broken: false,
      details: { hook: r.hook },
    });
  }

  for (const ns of index.namespaces) {
    for (const n of ns.ns.neighbors) {
      if (!n.mac) continue;
      const from = index.linkByName(ns.ref, n.dev);
      if (!from || from.link.kind === 'loopback') continue;
      const owners = index.withMac(n.mac);
      // Prefer owners on the same host; a MAC may legitimately repeat elsewhere.
      const local = owners.length === 1 ? owners : owners.filter((o) => o.ref.host === ns.ref.host);
      for (const to of (local.length > 0 ? local : owners).slice(0, 4)) {
        if (to.id === from.id) continue;
        addEdge(
          {
            kind: 'neighbor',
            source: from.id,
            target: to.id,
            label: `${n.ip} → ${n.mac}`,
            broken: false,
            details: { ip: n.ip, mac: n.mac, state: n.state.join(',') },
          },
          `${from.id}>${n.ip}>${to.id}`,
          true,
        );
      }
    }
  }

  for (const pod of index.snapshot.pods) {
    const id = podId(pod.namespace, pod.name);
    addNode({ id, kind: 'pod', label: pod.name, details: { namespace: pod.namespace, ips: pod.ips.join(', ') } });
    for (const ref of pod.netns) {
      if (index.netns(ref)) {
        addEdge({ kind: 'contains', source: id, target: netnsId(ref), label: '', broken: false, details: NO_DETAILS });
      }
    }
  }
  return { nodes, edges };
}

/** Shared by every edge without details; never mutated (edges are serialized, not edited). */
const NO_DETAILS: Readonly<Record<string, string>> = Object.freeze({});

function interfaceNode(index: SnapshotIndex, le: LinkEntry): GraphNode {
  const l = le.link;
  const details: Record<string, string> = {
    kind: l.kind,
    mac: l.mac ?? '',
    mtu: String(l.mtu),
    state: l.adminUp ? (l.carrier ? 'up' : 'no-carrier') : 'down',
  };
  const addrs = index.addressesOf(le);
  if (addrs.length > 0) details.addresses = addrs.join(', ');
  Object.assign(details, ovsDetails(index, le));
  if (l.vxlan) {
    details.vni = String(l.vxlan.vni);
    details.port = String(l.vxlan.port);
    if (l.vxlan.remote) details.remote = l.vxlan.remote;
  }
  return { id: le.id, kind: 'interface', label: l.name, parent: netnsId(le.ref), details };
}

function addTunnelEdges(
  index: SnapshotIndex,
  le: LinkEntry,
  addNode: (n: GraphNode) => void,
  addEdge: (e: Omit<GraphEdge, 'id'>, key?: string) => void,
): void {
  const vx = le.link.vxlan;
  if (!vx) return;
  if (vx.underlay) {
    addEdge({
      kind: 'underlay',
      source: le.id,
      target: interfaceId(vx.underlay),
      label: 'socket',
      broken: false,
      details: {},
    });
  }
  const match = tunnelPeer(index, le);
  const details = { vni: String(vx.vni), port: String(vx.port), remote: vx.remote ?? '' };
  if (match.status === 'ok') {
    const [a, b] = [le.id, match.partner.id].sort();
    addEdge({
      kind: 'vxlan-tunnel',
      source: a ?? le.id,
      target: b ?? match.partner.id,
      label: `VNI ${vx.vni}`,
      broken: false,
      details,
    });
    return;
  }
  const reason = match.reason;
  if ('partner' in match) {
    addEdge(
      {
        kind: 'vxlan-tunnel',
        source: le.id,
        target: match.partner.id,
        label: reason,
        broken: true,
        details: { ...details, reason },
      },
      `${le.id}>broken`,
    );
    return;
  }
  // No partner at all: point the broken edge at the remote's owner, or at a placeholder for the address.
  const target = 'remoteOwner' in match ? netnsId(match.remoteOwner.ref) : `remote:${vx.remote ?? '?'}`;
  if (!('remoteOwner' in match)) {
    addNode({ id: target, kind: 'host', label: `unknown ${vx.remote ?? 'remote'}`, details: { kind: 'unknown' } });
  }
  addEdge(
    { kind: 'vxlan-tunnel', source: le.id, target, label: reason, broken: true, details: { ...details, reason } },
    `${le.id}>broken`,
  );
}
