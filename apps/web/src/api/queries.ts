import { queryOptions, skipToken } from '@tanstack/react-query';
import Type from 'typebox';
import {
  CollectStatusSchema,
  DisclosedGraphSchema,
  FindingSchema,
  PodSchema,
  SearchResultSchema,
  ServerInfoSchema,
  SnapshotDiffSchema,
  SnapshotSummarySchema,
  TimelineSchema,
  TraceResultSchema,
  ProbeResultSchema,
  type ProbeQuery,
  type SearchField,
  type Severity,
} from '@hoplens/model';
import { ApiError, request } from './client.ts';

const enc = encodeURIComponent;

export const infoQuery = () =>
  queryOptions({ queryKey: ['info'], queryFn: () => request(ServerInfoSchema, '/api/info'), staleTime: Infinity });

/** Asks the server whether it takes this token, before the tab keeps it: true, or false on a 401. */
export const tokenAccepted = (token: string): Promise<boolean> =>
  request(ServerInfoSchema, '/api/info', { headers: { authorization: `Bearer ${token}` } }).then(
    () => true,
    (e: unknown) => {
      if (e instanceof ApiError && e.status === 401) return false;
      throw e;
    },
  );

export const snapshotsQuery = () =>
  queryOptions({
    queryKey: ['snapshots'],
    queryFn: () => request(Type.Array(SnapshotSummarySchema), '/api/snapshots'),
  });

// Snapshots are immutable: what is derived from one never goes stale.
/** What to draw: the whole graph, or the overview with these host groups expanded. */
export const viewQuery = (id: string, expand: readonly string[]) =>
  queryOptions({
    queryKey: ['snapshot', id, 'view', [...expand].sort().join(',')],
    queryFn: () =>
      request(
        DisclosedGraphSchema,
        `/api/snapshots/${enc(id)}/view${expand.length ? `?expand=${enc(expand.join(','))}` : ''}`,
      ),
    staleTime: Infinity,
  });

/** Search hits; idle (skipToken) while there is neither text nor a severity filter. */
export const searchQuery = (id: string, q: string, field: SearchField, severity: Severity | undefined) =>
  queryOptions({
    queryKey: ['snapshot', id, 'search', q, field, severity ?? ''],
    queryFn:
      q === '' && severity === undefined
        ? skipToken
        : () => {
            const params = new URLSearchParams({ q, field, limit: '30' });
            if (severity) params.set('severity', severity);
            return request(SearchResultSchema, `/api/snapshots/${enc(id)}/search?${params.toString()}`);
          },
    staleTime: Infinity,
  });

export const podsQuery = (id: string) =>
  queryOptions({
    queryKey: ['snapshot', id, 'pods'],
    queryFn: () => request(Type.Array(PodSchema), `/api/snapshots/${enc(id)}/pods`),
    staleTime: Infinity,
  });

/** What changed from `before` to `after`: both immutable, so the answer is too. */
export const compareQuery = (before: string, after: string) =>
  queryOptions({
    queryKey: ['compare', before, after],
    queryFn: () => request(SnapshotDiffSchema, `/api/compare?a=${enc(before)}&b=${enc(after)}`),
    staleTime: Infinity,
  });

export const collectStatusQuery = () =>
  queryOptions({ queryKey: ['collect-status'], queryFn: () => request(CollectStatusSchema, '/api/collect') });

export const findingsQuery = (id: string) =>
  queryOptions({
    queryKey: ['snapshot', id, 'findings'],
    queryFn: () => request(Type.Array(FindingSchema), `/api/snapshots/${enc(id)}/findings`),
    staleTime: Infinity,
  });

export const podTraceQuery = (id: string, pod: string, to: string) =>
  queryOptions({
    queryKey: ['snapshot', id, 'trace', pod, to],
    queryFn: () => request(TraceResultSchema, `/api/snapshots/${enc(id)}/trace?pod=${enc(pod)}&to=${enc(to)}`),
    staleTime: Infinity,
  });

export const collectNow = () => request(SnapshotSummarySchema, '/api/collect', { method: 'POST' });

/** Imports a snapshot or a `hoplens dump` file: the server checks it and answers with the new snapshot. */
export const importFile = (text: string) =>
  request(SnapshotSummarySchema, '/api/snapshots', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: text,
  });

/** Findings over time across the snapshots of `id`'s source: it grows as snapshots arrive. */
export const timelineQuery = (id: string) =>
  queryOptions({
    queryKey: ['timeline', id],
    queryFn: () => request(TimelineSchema, `/api/snapshots/${enc(id)}/timeline`),
  });

/** A stored probe: immutable like its snapshot. */
export const probeQuery = (id: string, probeId: string) =>
  queryOptions({
    queryKey: ['snapshot', id, 'probe', probeId],
    queryFn: () => request(ProbeResultSchema, `/api/snapshots/${enc(id)}/probes/${enc(probeId)}`),
    staleTime: Infinity,
  });

/** Pings for real along a path and checks the trace against the kernel (the server keeps the result). */
export const runProbe = (id: string, body: ProbeQuery) =>
  request(ProbeResultSchema, `/api/snapshots/${enc(id)}/probe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

/** Pins a snapshot so retention keeps it: what "share" does before copying its link. */
export const pinSnapshot = (id: string) =>
  request(SnapshotSummarySchema, `/api/snapshots/${enc(id)}/pin`, { method: 'POST' });
