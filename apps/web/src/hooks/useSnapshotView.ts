import { useQuery } from '@tanstack/react-query';
import type { DisclosedGraph } from '@hoplens/model';
import { findingsQuery, viewQuery } from '../api/queries.ts';

/**
 * What to draw of a snapshot and its findings. While another expansion of the same snapshot loads,
 * the view on screen stays (never another snapshot's), so expanding a group never blanks the graph.
 */
export function useSnapshotView(id: string, expand: readonly string[]) {
  const view = useQuery({
    ...viewQuery(id, expand),
    placeholderData: (previous: DisclosedGraph | undefined, query) =>
      query?.queryKey[1] === id ? previous : undefined,
  });
  const findings = useQuery(findingsQuery(id));
  return { view, findings };
}
