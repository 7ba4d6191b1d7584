import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { FindingRef, Snapshot } from '@hoplens/model';
import {
  metaOf,
  splitSnapshot,
  type Manifest,
  type PackedPart,
  type Part,
  type SnapshotMeta,
  type SnapshotParts,
} from './snapshotParts.ts';
import { chunks, marks, type SqlTx } from './sqlDb.ts';

/*
 * How SqlStore lays a snapshot out in SQL: a row's gzipped manifest naming its parts in `blobs`
 * (each stored once, by content hash), the dictionary of findings, and the sweep of unused parts.
 */

/** Row layouts: 1 is a whole gzipped snapshot (stores written before parts were shared), 2 a manifest. */
export const WHOLE = 1;
export const MANIFEST = 2;

export interface SnapshotRow {
  body: Buffer;
  layout: number;
}

/**
 * The model's check of a stored snapshot, loaded on first use: the SQLite worker thread, which runs
 * this store, seldom needs it, and the model is most of what a thread would otherwise load.
 */
export const readStoredSnapshot = async (value: unknown): Promise<Snapshot> =>
  (await import('@hoplens/model')).readStoredSnapshot(value);

export const gzipJson = (value: unknown): Buffer => gzipSync(JSON.stringify(value));
export const gunzipJson = (b: Buffer): unknown => JSON.parse(gunzipSync(b).toString('utf8'));

/** What makes a stored snapshot the same as another: its row's fields and its parts' hashes. */
export interface Shape {
  readonly meta: SnapshotMeta;
  readonly hosts: readonly string[];
  readonly pods: readonly string[];
  readonly kube: readonly string[];
  readonly times: readonly (number | string)[];
  readonly stats: readonly number[][];
}

export const shapeOf = (meta: SnapshotMeta, parts: SnapshotParts<Part | PackedPart>): Shape => ({
  meta: metaOf(meta),
  hosts: parts.hosts.map((p) => p.hash),
  pods: parts.pods.map((p) => p.hash),
  kube: parts.kube.map((p) => p.hash),
  times: parts.times,
  stats: parts.stats,
});

/** The shape of a stored row: a manifest's from the hashes of the blobs it names. */
export async function storedShape(q: SqlTx, row: SnapshotRow): Promise<Shape> {
  if (row.layout === WHOLE) {
    const snapshot = await readStoredSnapshot(gunzipJson(row.body));
    return shapeOf(snapshot, splitSnapshot(snapshot));
  }
  const m = gunzipJson(row.body) as Manifest;
  const hashes = new Map<number, string>();
  for (const c of chunks([...new Set([...m.hosts, ...m.pods, ...(m.kube ?? [])])])) {
    const rows = await q.all<{ id: number; hash: string }>(
      `SELECT id, hash FROM blobs WHERE id IN (${marks(c.length)})`,
      c,
    );
    for (const r of rows) hashes.set(Number(r.id), r.hash);
  }
  const hashOf = (id: number): string => hashes.get(id) ?? `missing ${id}`;
  return {
    meta: metaOf(m),
    hosts: m.hosts.map(hashOf),
    pods: m.pods.map(hashOf),
    kube: (m.kube ?? []).map(hashOf),
    times: m.times,
    stats: m.stats,
  };
}

/** The manifest of a snapshot, its parts stored (those not stored yet). */
export async function manifestOf(
  q: SqlTx,
  meta: SnapshotMeta,
  parts: SnapshotParts<Part | PackedPart>,
): Promise<Manifest> {
  return {
    v: MANIFEST,
    format: meta.format,
    id: meta.id,
    createdAt: meta.createdAt,
    source: meta.source,
    hosts: await blobIds(q, parts.hosts),
    pods: await blobIds(q, parts.pods),
    ...(parts.kube.length === 0 ? {} : { kube: await blobIds(q, parts.kube) }),
    times: parts.times,
    stats: parts.stats,
  };
}

/** Blob ids of these parts, storing (gzipped) only those not stored yet. */
const blobIds = (q: SqlTx, parts: readonly (Part | PackedPart)[]): Promise<number[]> =>
  rowIds(
    q,
    'blobs',
    'hash',
    parts,
    (p) => p.hash,
    (p) => ({ body: 'gz' in p ? p.gz : gzipSync(p.json) }),
  );

/**
 * Ids of these findings in the dictionary of findings ever seen, adding those never seen. A key
 * joins names with NUL, which PostgreSQL text cannot hold: the column holds its hash, and the
 * finding itself is JSON (which escapes it).
 */
export const keyIds = (q: SqlTx, findings: readonly FindingRef[]): Promise<number[]> =>
  rowIds(
    q,
    'finding_keys',
    'key',
    findings,
    (f) => createHash('sha256').update(f.key).digest('hex'),
    (f) => ({ ref: JSON.stringify(f) }),
  );

/**
 * The row id of each item in a table keyed by a unique text column, inserting the missing ones
 * (`columns` is only called for those: a part already stored is never compressed again).
 */
async function rowIds<T>(
  q: SqlTx,
  table: 'blobs' | 'finding_keys',
  keyColumn: 'hash' | 'key',
  items: readonly T[],
  keyOf: (item: T) => string,
  columns: (item: T) => Record<string, unknown>,
): Promise<number[]> {
  const ids = new Map<string, number>();
  const keys = [...new Set(items.map(keyOf))];
  for (const c of chunks(keys)) {
    const rows = await q.all<{ id: number; k: string }>(
      `SELECT id, ${keyColumn} AS k FROM ${table} WHERE ${keyColumn} IN (${marks(c.length)})`,
      c,
    );
    for (const r of rows) ids.set(r.k, Number(r.id));
  }
  for (const item of items) {
    const key = keyOf(item);
    if (ids.has(key)) continue;
    const cols = columns(item);
    // Another server may add the same row at the same moment: then its row is the one to use.
    const inserted = await q.all<{ id: number }>(
      `INSERT INTO ${table} (${keyColumn}, ${Object.keys(cols).join(', ')}) VALUES (?, ${marks(Object.keys(cols).length)}) ON CONFLICT (${keyColumn}) DO NOTHING RETURNING id`,
      [key, ...Object.values(cols)],
    );
    const id =
      inserted[0]?.id ?? (await q.all<{ id: number }>(`SELECT id FROM ${table} WHERE ${keyColumn} = ?`, [key]))[0]?.id;
    if (id === undefined) throw new Error(`${table}: ${key} could not be stored`);
    ids.set(key, Number(id));
  }
  return items.map((item) => ids.get(keyOf(item))!);
}

/** Frees every part that no stored snapshot names any more (mark and sweep over the manifests). */
export async function freeUnused(q: SqlTx): Promise<void> {
  const used = new Set<number>();
  const rows = await q.all<{ body: Buffer }>('SELECT body FROM snapshots WHERE layout = ?', [MANIFEST]);
  for (const r of rows) {
    const m = gunzipJson(r.body) as Manifest;
    for (const id of m.hosts) used.add(id);
    for (const id of m.pods) used.add(id);
    for (const id of m.kube ?? []) used.add(id);
  }
  const all = await q.all<{ id: number }>('SELECT id FROM blobs');
  const unused = all.map((r) => Number(r.id)).filter((id) => !used.has(id));
  for (const c of chunks(unused)) await q.run(`DELETE FROM blobs WHERE id IN (${marks(c.length)})`, c);
}
