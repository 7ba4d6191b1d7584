import { useQuery } from '@tanstack/react-query';
import { findingsQuery, graphQuery } from '../api/queries.ts';

/** A snapshot's graph and findings, fetched side by side. */
export function useSnapshotAnalysis(id: string) {
  const graph = useQuery(graphQuery(id));
  const findings = useQuery(findingsQuery(id));
  return { graph, findings };
}
