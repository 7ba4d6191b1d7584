import { useEffect, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  hostIdOfElement,
  netnsPath,
  parseElementId,
  podKey,
  type DisclosedGraph,
  type TraceResult,
} from '@hoplens/model';
import { podsQuery } from '../api/queries.ts';
import { goneFrom, withoutGone, type CarriedPresence, type CarriedView, type Gone } from '../routing/carryView.ts';
import type { UrlState } from '../routing/urlState.ts';
import type { UrlWrite } from '../routing/useUrlState.ts';

/** Pods whose key holds the carried one's, asked to find it: a page this long holds it unless far too many do. */
const POD_PAGE = 50;

/** Whether the selected element is in the view: drawn, or on a host the view shows whole; undefined if hidden. */
function selPresent(view: DisclosedGraph, sel: string): boolean | undefined {
  if (view.graph.nodes.some((n) => n.id === sel) || view.graph.edges.some((e) => e.id === sel)) return true;
  if (view.groups.some((g) => g.id === sel)) return true;
  if (view.mode !== 'overview') return false;
  // In an overview, an element of a closed group is not drawn yet there: only a host no group holds is gone.
  const host = hostIdOfElement(sel);
  if (host === undefined) return undefined;
  const group = view.groups.find((g) => g.hosts.includes(host));
  return group === undefined ? false : view.graph.nodes.some((n) => n.id === group.id) ? undefined : false;
}

/** How the old snapshot named the element (from its view, still cached), else what its id says. */
function labelOf(views: readonly DisclosedGraph[], id: string): string {
  for (const v of views) {
    const node = v.graph.nodes.find((n) => n.id === id);
    if (node?.kind === 'interface') {
      const p = parseElementId(id);
      return p?.kind === 'interface' ? `Interface ${netnsPath(p)}/${node.label}` : `Interface ${node.label}`;
    }
    if (node) return `${node.kind === 'host' ? 'Host' : node.kind === 'netns' ? 'Namespace' : 'Element'} ${node.label}`;
  }
  const p = parseElementId(id);
  if (p?.kind === 'host') return `Host ${p.host}`;
  if (p?.kind === 'netns') return `Namespace ${netnsPath(p)}`;
  if (p?.kind === 'interface') return `Interface ${p.ifindex} of ${netnsPath(p)}`;
  return `The selected element (${id})`;
}

/**
 * After "Collect now" the new snapshot opens on the old view ({@link carryView}); this checks each
 * carried thing against the new snapshot, drops from the URL what is not there, and returns what was
 * dropped so the dashboard can say so (empty when nothing was carried or all of it is there).
 */
export function useCarriedView(
  carried: CarriedView | undefined,
  view: DisclosedGraph | undefined,
  trace: { readonly data: TraceResult | undefined; readonly error: unknown },
  setUrl: (next: Partial<UrlState>, how?: UrlWrite) => void,
): readonly Gone[] {
  const client = useQueryClient();
  const pods = useQuery({ ...podsQuery(carried?.to ?? '', carried?.pod ?? '', POD_PAGE), enabled: !!carried?.pod });
  const [gone, setGone] = useState<readonly Gone[]>([]);

  const page = pods.data;
  const podFound = page?.pods.some((p) => podKey(p) === carried?.pod);
  const branches = trace.data?.branches;
  const presence: CarriedPresence = {
    pod: page === undefined ? undefined : podFound === true ? true : page.total > page.pods.length ? undefined : false,
    branch: trace.data === undefined ? undefined : (branches ?? []).some((b) => b.label === carried?.branch),
    sel: view && carried?.sel ? selPresent(view, carried.sel) : undefined,
  };
  const oldViews = carried
    ? client
        .getQueriesData<DisclosedGraph>({ queryKey: ['snapshot', carried.from, 'view'] })
        .flatMap(([, v]) => v ?? [])
    : [];
  const found = carried ? goneFrom(carried, presence, carried.sel ? labelOf(oldViews, carried.sel) : '') : [];
  const fresh = found.filter((g) => !gone.some((k) => k.kind === g.kind));
  // Kept as found (set while rendering, as React advises for state derived from props)...
  if (fresh.length > 0) setGone([...gone, ...fresh]);
  // ...and dropped from the URL once each.
  const dropped = useRef(0);
  useEffect(() => {
    if (gone.length <= dropped.current) return;
    setUrl(withoutGone(gone.slice(dropped.current)), 'replace');
    dropped.current = gone.length;
  }, [gone, setUrl]);
  return gone;
}
