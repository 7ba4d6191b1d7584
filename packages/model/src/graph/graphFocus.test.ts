import { describe, expect, it } from 'vitest';
import { hostId, interfaceId, netnsId, podId } from '../ids.ts';
import { analyze } from '../snapshot/analyze.ts';
import { SEED, seedBroken } from '../testing/seedFixtures.ts';
import { nodeParent } from '../schema/graph.ts';
import { GraphFocus, UnknownFocusError } from './graphFocus.ts';

describe('GraphFocus', () => {
  const { graph } = analyze(seedBroken());
  const focus = new GraphFocus(graph);
  const ids = (g: { nodes: { id: string }[] }): Set<string> => new Set(g.nodes.map((n) => n.id));

  it('shows the whole focused host and, across its edges, only the far ends with their parents', () => {
    const view = focus.focus(hostId('worker'));
    const shown = ids(view);
    for (const n of graph.nodes.filter((x) => x.id.startsWith('ns:worker/') || x.id.startsWith('if:worker/'))) {
      expect(shown.has(n.id), n.id).toBe(true);
    }
    // The tunnel reaches the pod VM's vxlan0: it comes with its netns and host.
    const vmVxlan = graph.nodes.find((n) => nodeParent(n) === netnsId(SEED.podns) && n.label === 'vxlan0')!;
    expect(shown.has(vmVxlan.id)).toBe(true);
    expect(shown.has(netnsId(SEED.podns))).toBe(true);
    expect(shown.has(hostId('podvm'))).toBe(true);
    // Outside the worker, only far ends of the worker's edges and their parents.
    const inWorker = (id: string): boolean => id.startsWith('ns:worker/') || id.startsWith('if:worker/');
    const farEnds = new Set(
      graph.edges.flatMap((e) => (inWorker(e.source) ? [e.target] : inWorker(e.target) ? [e.source] : [])),
    );
    const byId = new Map(graph.nodes.map((n) => [n.id, n]));
    const allowed = new Set<string>();
    for (const id of farEnds) for (let n = byId.get(id); n; n = byId.get(nodeParent(n) ?? '')) allowed.add(n.id);
    for (const id of shown) if (!inWorker(id) && id !== hostId('worker')) expect(allowed.has(id), id).toBe(true);
    expect(view.edges.some((e) => e.kind === 'vxlan-tunnel')).toBe(true);
    for (const e of view.edges) expect(shown.has(e.source) && shown.has(e.target), e.id).toBe(true);
    for (const n of view.nodes) if (nodeParent(n) !== undefined) expect(shown.has(nodeParent(n)!), n.id).toBe(true);
  });

  it('focuses any element by the host it is in, and a pod by the hosts holding it', () => {
    const eth0 = graph.nodes.find((n) => nodeParent(n) === netnsId(SEED.pod) && n.label === 'eth0')!;
    expect(ids(focus.focus(eth0.id))).toEqual(ids(focus.focus(hostId('worker'))));
    const pod = graph.nodes.find((n) => n.kind === 'pod')!;
    const shown = ids(focus.focus(pod.id));
    expect(shown.has(pod.id)).toBe(true);
    expect(shown.has(netnsId(SEED.pod))).toBe(true);
  });

  it('refuses an id that is not in the graph', () => {
    expect(() => focus.focus(interfaceId({ ...SEED.pod, ifindex: 999 }))).toThrow(UnknownFocusError);
    expect(() => focus.focus(podId('nowhere', 'x'))).toThrow(/no element/);
  });
});
