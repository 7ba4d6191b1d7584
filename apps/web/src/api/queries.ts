import { queryOptions, skipToken } from '@tanstack/react-query';
import Type from 'typebox';
import {
  CollectStatusSchema,
  DisclosedGraphSchema,
  FindingSchema,
  PodPageSchema,
  SearchResultSchema,
  ServicePageSchema,
  ServerInfoSchema,
  SnapshotDiffSchema,
  SnapshotSummarySchema,
  TimelineSchema,
  TraceResultSchema,
  ProbeResultSchema,
  type ProbeQuery,
  type SearchField,
  type Severity,
  type TraceProto,
} from '@hoplens/model';
import { ApiError, request } from './client.ts';
import { EmptyFile } from './emptyFile.ts';

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

/** A page of pods whose key or IP holds `q`: the server searches, the browser never holds them all. */
export const podsQuery = (id: string, q: string, limit: number) =>
  queryOptions({
    queryKey: ['snapshot', id, 'pods', q, limit],
    queryFn: () => {
      const params = new URLSearchParams({ q, limit: String(limit) });
      return request(PodPageSchema, `/api/snapshots/${enc(id)}/pods?${params.toString()}`);
    },
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

/** The Service ports whose name or ClusterIP holds `q`, as the snapshot's kube-proxy rules program them. */
export const servicesQuery = (id: string, q: string, limit: number) =>
  queryOptions({
    queryKey: ['snapshot', id, 'services', q, limit],
    queryFn: () => {
      const params = new URLSearchParams({ q, limit: String(limit) });
      return request(ServicePageSchema, `/api/snapshots/${enc(id)}/services?${params.toString()}`);
    },
    staleTime: Infinity,
  });

/** A pod's path to `to`, carrying ICMP echo or a TCP/UDP flow to `port`. */
export const podTraceQuery = (id: string, pod: string, to: string, proto: TraceProto, port: number | undefined) =>
  queryOptions({
    queryKey: ['snapshot', id, 'trace', pod, to, proto, port],
    queryFn: () => {
      const params = new URLSearchParams({ pod, to });
      if (proto !== 'icmp') params.set('proto', proto);
      if (port !== undefined) params.set('port', String(port));
      return request(TraceResultSchema, `/api/snapshots/${enc(id)}/trace?${params.toString()}`);
    },
    staleTime: Infinity,
  });

export const collectNow = () => request(SnapshotSummarySchema, '/api/collect', { method: 'POST' });

/**
 * Imports a snapshot or a `hoplens dump` file, `.json` or gzipped (told by its first bytes, not its
 * name): sent as it is on disk, the browser never reading it, gzip as `Content-Encoding: gzip`. The
 * server checks it and answers with the new snapshot. An empty file is not sent (EmptyFile).
 */
export const importFile = async (file: Blob) => {
  if (file.size === 0) throw new EmptyFile();
  const magic = new Uint8Array(await file.slice(0, 2).arrayBuffer());
  const gzip = magic[0] === 0x1f && magic[1] === 0x8b;
  return request(SnapshotSummarySchema, '/api/snapshots', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(gzip ? { 'content-encoding': 'gzip' } : {}) },
    body: file,
  });
};

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
