import { queryOptions } from '@tanstack/react-query';
import Type from 'typebox';
import { FindingSchema, GraphSchema, ServerInfoSchema, SnapshotSummarySchema, TraceResultSchema } from '@hoplens/model';
import { request } from './client.ts';

const enc = encodeURIComponent;

export const infoQuery = () =>
  queryOptions({ queryKey: ['info'], queryFn: () => request(ServerInfoSchema, '/api/info'), staleTime: Infinity });

export const snapshotsQuery = () =>
  queryOptions({
    queryKey: ['snapshots'],
    queryFn: () => request(Type.Array(SnapshotSummarySchema), '/api/snapshots'),
  });

// Snapshots are immutable: what is derived from one never goes stale.
export const graphQuery = (id: string) =>
  queryOptions({
    queryKey: ['snapshot', id, 'graph'],
    queryFn: () => request(GraphSchema, `/api/snapshots/${enc(id)}/graph`),
    staleTime: Infinity,
  });

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
