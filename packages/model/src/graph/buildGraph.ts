import {
  brokenTunnelId,
  edgeId,
  hostId,
  interfaceId,
  neighborEdgeId,
  netnsId,
  netnsLabel,
  podId,
  remoteId,
} from '../ids.ts';
import type { Graph, GraphEdge, GraphNode, InterfaceNode, VxlanFacts } from '../schema/graph.ts';
import type { VxlanInfo } from '../schema/inventory.ts';
import type { Pod } from '../schema/snapshot.ts';
import { linkState } from '../topology/linkState.ts';
import type { LinkEntry, SnapshotIndex } from '../topology/snapshotIndex.ts';
import { vethPairs } from '../topology/vethPairs.ts';
import { ovsTopology, type OvsTopology } from '../topology/ovsPorts.ts';
import { tcRedirects } from '../topology/tcRedirects.ts';
import { tunnelPeer } from '../topology/tunnelPeer.ts';
import { unseenHosts, unseenList } from '../topology/unseenParts.ts';
import { ovsFacts, ovsPortEdges } from './ovsGraph.ts';
import { countsOf } from '../netfilter/compileFirewall.ts';
import { listeningFacts } from './listeningFacts.ts';

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
  const addEdge: AddEdge = (e, unique = false) => {
    if (!unique) {
      if (edgeIds.has(e.id)) return;
      edgeIds.add(e.id);
    }
    edges.push(e);
  };

  // Each id is made once and shared by every element that names it (10⁶ interfaces name a parent).
  const hostIds = new Map<string, string>();
  for (const host of index.snapshot.hosts) {
    const id = hostId(host.name);
    hostIds.set(host.name, id);
    addNode({ id, kind: 'host', label: host.name, hostKind: host.kind, errors: host.errors.length });
  }
  for (const { ref, ns, id } of index.namespaces) {
    const parent = hostIds.get(ref.host) ?? hostId(ref.host);
    // Most of 10⁵ pod namespaces have neither facts: one literal, not spreads of temporary objects.
    if (ns.firewall === undefined && ns.listening === undefined) {
      nodes.push({ id, kind: 'netns', label: netnsLabel(ref.netns), parent, root: ns.root });
      continue;
    }
    nodes.push({
      id,
      kind: 'netns',
      label: netnsLabel(ref.netns),
      parent,
      root: ns.root,
      ...(ns.firewall === undefined ? {} : { firewall: countsOf(ns.firewall) }),
      ...(ns.listening === undefined ? {} : { listening: listeningFacts(ns.listening) }),
    });
  }
  // The drawn devices that are a bridge port or a tunnel end, in order: their edges come after the
  // veth pairs', and a second pass over every drawn device (3.5·10⁵) would find half of them.
  const attached: LinkEntry[] = [];
  const ovs = ovsTopology(index);
  for (const le of index.links) {
    if (le.link.kind === 'loopback') continue;
    if (le.link.masterIfindex !== undefined || le.link.vxlan) attached.push(le);
    nodes.push(interfaceNode(index, ovs, le));
  }

  for (const { a: le, b: peer, mutual } of vethPairs(index).pairs) {
    const [a, b] = le.id < peer.id ? [le.id, peer.id] : [peer.id, le.id];
    // A mutual pair is listed once and its edge is unique; one listed from both ends is deduplicated.
    addEdge(
      peer.netns.ref.host === le.netns.ref.host
        ? { id: edgeId('veth', a, b), kind: 'veth', source: a, target: b }
        : { id: edgeId('underlay', a, b), kind: 'underlay', source: a, target: b, via: 'wire' },
      mutual,
    );
  }
  for (const le of attached) {
    if (le.link.masterIfindex !== undefined) {
      const master = le.netns.linksByIndex.get(le.link.masterIfindex);
      if (master) {
        const id = edgeId('bridge-port', le.id, master.id);
        addEdge({ id, kind: 'bridge-port', source: le.id, target: master.id }, true);
      }
    }
    if (le.link.vxlan) addTunnelEdges(index, le, addNode, addEdge);
  }

  for (const e of ovsPortEdges(index)) addEdge(e, true);

  for (const r of tcRedirects(index)) {
    if (!r.to) continue;
    const id = edgeId('tc-redirect', r.from.id, r.to.id);
    addEdge({ id, kind: 'tc-redirect', source: r.from.id, target: r.to.id, hook: r.hook });
  }

  for (const { ref, ns } of index.namespaces) {
    if (ns.neighbors.length === 0) continue;
    // Looked up once per namespace, not per entry (as linkByName would): the one a repeated name resolves to.
    const devices = index.netns(ref)?.linksByName;
    for (const n of ns.neighbors) {
      if (!n.mac) continue;
      const from = devices?.get(n.dev);
      if (!from || from.link.kind === 'loopback') continue;
      const owners = index.withMac(n.mac);
      // Prefer owners on the same host; a MAC may legitimately repeat elsewhere.
      const local = owners.length === 1 ? owners : owners.filter((o) => o.netns.ref.host === ref.host);
      const targets = local.length > 0 ? local : owners;
      for (let i = 0; i < targets.length && i < 4; i++) {
        const to = targets[i]!;
        if (to.id === from.id) continue;
        const id = neighborEdgeId(from.id, n.ip, to.id);
        addEdge({ id, kind: 'neighbor', source: from.id, target: to.id, ip: n.ip, mac: n.mac, state: n.state }, true);
      }
    }
  }

  addPods(index, nodes, edges);
  return { nodes, edges };
}

/**
 * Pods and their `contains` edges. A pod's edges can only repeat another's if the snapshot lists the
 * same pod twice, so the edge ids (10⁵ of them) are hashed only for pods listed more than once.
 */
function addPods(index: SnapshotIndex, nodes: GraphNode[], edges: GraphEdge[]): void {
  const first = new Map<string, Pod>();
  // For each pod listed more than once, the namespaces its edges already join.
  const joined = new Map<string, Set<string>>();
  for (const pod of index.snapshot.pods) {
    const id = podId(pod.namespace, pod.name);
    const earlier = first.get(id);
    let seen: Set<string> | undefined;
    if (earlier === undefined) {
      first.set(id, pod);
      nodes.push(
        pod.inferred
          ? { id, kind: 'pod', label: pod.name, namespace: pod.namespace, ips: pod.ips, inferred: true }
          : { id, kind: 'pod', label: pod.name, namespace: pod.namespace, ips: pod.ips },
      );
    } else {
      seen = joined.get(id);
      if (!seen) joined.set(id, (seen = new Set(namespaceIds(index, earlier))));
    }
    let added = 0;
    for (const ref of pod.netns) {
      const ns = index.netns(ref)?.id;
      if (!ns) continue;
      if (seen) {
        if (seen.has(ns)) continue;
        seen.add(ns);
      } else if (added > 0 && edges.slice(edges.length - added).some((e) => e.target === ns)) continue;
      edges.push({ id: edgeId('contains', id, ns), kind: 'contains', source: id, target: ns });
      added++;
    }
  }
}

/** The ids of the collected namespaces a pod names, each once. */
const namespaceIds = (index: SnapshotIndex, pod: Pod): string[] => {
  const ids: string[] = [];
  for (const ref of pod.netns) {
    const ns = index.netns(ref)?.id;
    if (ns) ids.push(ns);
  }
  return ids;
};

/** Adds an edge; `unique` skips the duplicate check for edges unique by construction. */
type AddEdge = (e: GraphEdge, unique?: boolean) => void;

function interfaceNode(index: SnapshotIndex, topo: OvsTopology, le: LinkEntry): InterfaceNode {
  const l = le.link;
  const ovs = ovsFacts(topo, le);
  const addresses = index.addressesOf(le);
  const state = linkState(l);
  // Nearly every interface has a MAC and neither VXLAN nor OVS facts: one literal, in the same key
  // order as the general case below, instead of spreads that copy a temporary object each (10⁶ times).
  if (l.mac && !l.vxlan && ovs === undefined) {
    return {
      id: le.id,
      kind: 'interface',
      label: l.name,
      parent: le.netns.id,
      linkKind: l.kind,
      mac: l.mac,
      mtu: l.mtu,
      state,
      addresses,
    };
  }
  return {
    id: le.id,
    kind: 'interface',
    label: l.name,
    parent: le.netns.id,
    linkKind: l.kind,
    ...(l.mac ? { mac: l.mac } : {}),
    mtu: l.mtu,
    state,
    addresses,
    ...(l.vxlan ? { vxlan: tunnelFacts(l.vxlan) } : {}),
    ...(ovs === undefined ? {} : { ovs }),
  };
}

const tunnelFacts = (vx: VxlanInfo): VxlanFacts => ({
  vni: vx.vni,
  port: vx.port,
  ...(vx.remote === undefined ? {} : { remote: vx.remote }),
});

function addTunnelEdges(index: SnapshotIndex, le: LinkEntry, addNode: (n: GraphNode) => void, addEdge: AddEdge): void {
  const vx = le.link.vxlan;
  if (!vx) return;
  if (vx.underlay) {
    const target = interfaceId(vx.underlay);
    addEdge({ id: edgeId('underlay', le.id, target), kind: 'underlay', source: le.id, target, via: 'socket' });
  }
  const match = tunnelPeer(index, le);
  if (match.status === 'ok') {
    // One edge for both ends, from the lower id; its facts are that end's.
    const [a, b] = le.id < match.partner.id ? [le, match.partner] : [match.partner, le];
    const id = edgeId('vxlan-tunnel', a.id, b.id);
    addEdge({ id, kind: 'vxlan-tunnel', source: a.id, target: b.id, ...tunnelFacts(a.link.vxlan ?? vx) });
    return;
  }
  // Where a host not read whole may hold the other end or the remote's owner, the edge says so
  // (unknown), never that the tunnel is broken.
  const unseen = match.status === 'remote-unknown' ? [...unseenHosts(index).values()] : [];
  const untold =
    match.status === 'partner-unseen'
      ? match.reason
      : unseen.length > 0
        ? `${match.reason}; ${unseenList(unseen)} could not be read whole and may own it`
        : undefined;
  const broken = {
    id: brokenTunnelId(le.id),
    kind: 'vxlan-tunnel',
    source: le.id,
    ...tunnelFacts(vx),
    ...(untold === undefined ? { reason: match.reason } : { untold }),
  } as const;
  if ('partner' in match) {
    addEdge({ ...broken, target: match.partner.id });
    return;
  }
  // No partner at all: point the broken edge at the remote's owner, or at a placeholder for the address.
  if ('remoteOwner' in match) {
    addEdge({ ...broken, target: netnsId(match.remoteOwner.ref) });
    return;
  }
  const address = vx.remote ?? '?';
  const target = remoteId(address);
  addNode({ id: target, kind: 'remote', label: `unknown ${vx.remote ?? 'remote'}`, address });
  addEdge({ ...broken, target });
}
