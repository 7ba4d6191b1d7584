import { isDeepStrictEqual } from 'node:util';
import type { CollectRun, FindingRef, Snapshot, SnapshotSummary, StoreInfo } from '@hoplens/model';
import { isPacked, unpackParts, type PackedParts } from './packedParts.ts';
import {
  metaOf,
  readStoredRow,
  splitSnapshot,
  type Manifest,
  type PackedPart,
  type Part,
  type SnapshotMeta,
  type SnapshotParts,
  type StoredRow,
} from './snapshotParts.ts';
import {
  SnapshotConflictError,
  StoreFullError,
  type History,
  type HistoryEntry,
  type RunOutcome,
  type SnapshotStore,
} from './snapshotStore.ts';
import { chunks, marks, type SqlDb, type SqlTx } from './sqlDb.ts';
import { markOf, storedDigest } from './storedMark.ts';
import {
  MANIFEST,
  WHOLE,
  freeUnused,
  gunzipJson,
  gzipJson,
  keyIds,
  manifestOf,
  readStoredSnapshot,
  shapeOf,
  storedShape,
  type SnapshotRow,
} from './sqlManifest.ts';

/** Scheduled runs remembered. */
const RUNS_KEPT = 200;

/**
 * The store's logic over SQL that SQLite and PostgreSQL both speak. A snapshot row holds a gzipped
 * manifest naming its parts (host inventories, pod runs) in `blobs`, each stored once by content hash.
 */
export abstract class SqlStore implements SnapshotStore {
  abstract readonly kind: StoreInfo['kind'];
  private readonly foreign = new Set<(id: string) => void>();

  constructor(protected readonly db: SqlDb) {}

  /** The database itself, for what is kept beside snapshots (probe results). */
  get sql(): SqlDb {
    return this.db;
  }

  /** Checks the snapshot (loading the model: see sqlManifest's readStoredSnapshot) to mark its row as checked. */
  async put(snapshot: Snapshot, summary: SnapshotSummary, findings: readonly FindingRef[]): Promise<boolean> {
    const checked = (await import('./storedSchemaId.ts')).schemaIdIfStored(snapshot);
    const meta = checked === undefined ? metaOf(snapshot) : { ...metaOf(snapshot), checked };
    return this.putParts(meta, splitSnapshot(snapshot), summary, findings);
  }

  async putParts(
    meta: SnapshotMeta,
    given: SnapshotParts<Part> | PackedParts,
    summary: SnapshotSummary,
    findings: readonly FindingRef[],
  ): Promise<boolean> {
    const parts = isPacked(given) ? unpackParts(given) : given;
    return this.db
      .tx('shared', async (q) => {
        if (await this.has(q, meta, parts)) return false;
        const manifest = await manifestOf(q, meta, parts);
        const body = gzipJson(manifest);
        // Another server may store the same id at the same moment: then compare with what it stored.
        const inserted = await q.run(
          'INSERT INTO snapshots (id, created_at, source, format, summary, body, layout, findings, checked) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
          [
            meta.id,
            meta.createdAt,
            meta.source,
            meta.format,
            JSON.stringify(summary),
            body,
            MANIFEST,
            gzipJson(await keyIds(q, findings)),
            meta.checked === undefined ? null : await this.mark(q, meta.checked, body, manifest),
          ],
        );
        if (inserted === 0) {
          await this.has(q, meta, parts);
          return false;
        }
        await this.announce(q, meta.id);
        return true;
      })
      .catch((e: unknown) => {
        if (this.isDiskFull(e))
          throw new StoreFullError(`the disk is full: snapshot ${meta.id} was not stored (nothing else was touched)`);
        throw e;
      });
  }

  /**
   * The row's mark that its snapshot passed schema `schemaId`: over the bytes as stored, those of
   * parts stored earlier by other snapshots included (read back: ~22 MiB for 150,000 pods).
   */
  private async mark(q: SqlTx, schemaId: string, body: Buffer, manifest: Manifest): Promise<string> {
    const order = [...manifest.hosts, ...manifest.pods, ...(manifest.kube ?? [])];
    return markOf(schemaId, storedDigest(body, order, await blobBodies(q, order)));
  }

  /**
   * Whether this very snapshot is stored; a different one under its id is a conflict. Compared by
   * the hashes of its parts (key order does not count), never by parsing what is stored.
   */
  private async has(q: SqlTx, meta: SnapshotMeta, parts: SnapshotParts<Part | PackedPart>): Promise<boolean> {
    const row = (await q.all<SnapshotRow>('SELECT body, layout FROM snapshots WHERE id = ?', [meta.id]))[0];
    if (!row) return false;
    if (isDeepStrictEqual(await storedShape(q, row), shapeOf(meta, parts))) return true;
    throw new SnapshotConflictError(`snapshot ${meta.id} exists with other contents; snapshots are immutable`);
  }

  /** Whether a database error says the disk (or the database's size limit) is full. */
  protected abstract isDiskFull(e: unknown): boolean;

  /**
   * Rewrites every snapshot stored whole (by a hoplens from before parts were shared) as a manifest,
   * one transaction each: a crash midway leaves every row readable, in one layout or the other. A row
   * that no longer reads as a snapshot is left as it was. Returns how many were rewritten.
   */
  async migrate(): Promise<number> {
    const whole = await this.db.all<{ id: string }>('SELECT id FROM snapshots WHERE layout = ?', [WHOLE]);
    let done = 0;
    for (const { id } of whole) {
      done += await this.db.tx('shared', async (q) => {
        const row = (await q.all<SnapshotRow>('SELECT body, layout FROM snapshots WHERE id = ?', [id]))[0];
        if (row?.layout !== WHOLE) return 0;
        let snapshot: Snapshot;
        try {
          snapshot = await readStoredSnapshot(gunzipJson(row.body));
        } catch {
          return 0;
        }
        const manifest = await manifestOf(q, metaOf(snapshot), splitSnapshot(snapshot));
        await q.run('UPDATE snapshots SET body = ?, layout = ? WHERE id = ?', [gzipJson(manifest), MANIFEST, id]);
        return 1;
      });
    }
    return done;
  }

  /** Tells other servers on the same database of a new snapshot (PostgreSQL); nothing to do for one file. */
  protected abstract announce(q: SqlTx, id: string): Promise<void>;

  async get(id: string): Promise<Snapshot | undefined> {
    const row = await this.getRow(id);
    return row && (await import('./storedSchemaId.ts')).storedSnapshotOf(readStoredRow(row));
  }

  async getRow(id: string): Promise<StoredRow | undefined> {
    const row = (
      await this.db.all<SnapshotRow & { checked: string | null }>(
        'SELECT body, layout, checked FROM snapshots WHERE id = ?',
        [id],
      )
    )[0];
    return row && this.rowOf(this.db, id, row);
  }

  /** A row with the parts it names, still gzipped; undefined when it was deleted while being read. */
  private async rowOf(
    q: SqlTx,
    id: string,
    row: SnapshotRow & { checked: string | null },
  ): Promise<StoredRow | undefined> {
    if (row.layout === WHOLE) return { layout: 'whole', body: row.body };
    const manifest = gunzipJson(row.body) as Manifest;
    const ids = [...new Set([...manifest.hosts, ...manifest.pods, ...(manifest.kube ?? [])])];
    const blobs = await blobBodies(q, ids);
    if (blobs.size < ids.length) {
      // Deleted (and its parts freed) between reading the row and its parts: it is gone, not damaged.
      const still = await q.all('SELECT 1 AS x FROM snapshots WHERE id = ?', [id]);
      if (still.length === 0) return undefined;
    }
    return {
      layout: 'manifest',
      manifest: row.body,
      blobs,
      ...(row.checked === null ? {} : { checked: row.checked }),
    };
  }

  async summary(id: string): Promise<SnapshotSummary | undefined> {
    const rows = await this.db.all<{ summary: string; pinned_at: string | null }>(
      'SELECT summary, pinned_at FROM snapshots WHERE id = ?',
      [id],
    );
    return rows[0] && toSummary(rows[0]);
  }

  async list(): Promise<SnapshotSummary[]> {
    const rows = await this.db.all<{ summary: string; pinned_at: string | null }>(
      'SELECT summary, pinned_at FROM snapshots ORDER BY created_at DESC, id',
    );
    return rows.map(toSummary);
  }

  async count(): Promise<number> {
    return Number(
      (await this.db.all<{ n: number }>('SELECT CAST(count(*) AS INTEGER) AS n FROM snapshots'))[0]?.n ?? 0,
    );
  }

  async delete(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    return this.db.tx('exclusive', async (q) => {
      const gone: string[] = [];
      for (const c of chunks(ids)) {
        const rows = await q.all<{ id: string }>(`SELECT id FROM snapshots WHERE id IN (${marks(c.length)})`, c);
        gone.push(...rows.map((r) => r.id));
        await q.run(`DELETE FROM snapshots WHERE id IN (${marks(c.length)})`, c);
        await q.run(`DELETE FROM derived WHERE snapshot IN (${marks(c.length)})`, c);
      }
      await freeUnused(q);
      return gone;
    });
  }

  async pin(id: string): Promise<boolean> {
    const now = new Date().toISOString();
    const changed = await this.db.run('UPDATE snapshots SET pinned_at = COALESCE(pinned_at, ?) WHERE id = ?', [
      now,
      id,
    ]);
    return changed > 0;
  }

  async history(source?: string): Promise<History> {
    const rows = await this.db.all<{
      id: string;
      created_at: string;
      source: string;
      pinned_at: string | null;
      findings: Buffer | null;
    }>(
      `SELECT id, created_at, source, pinned_at, findings FROM snapshots ${source === undefined ? '' : 'WHERE source = ?'} ORDER BY created_at, id`,
      source === undefined ? [] : [source],
    );
    const entries: HistoryEntry[] = rows.map((r) => ({
      id: r.id,
      createdAt: r.created_at,
      source: r.source,
      pinned: r.pinned_at !== null,
      findings: r.findings ? (gunzipJson(r.findings) as number[]) : null,
    }));
    const used = [...new Set(entries.flatMap((e) => e.findings ?? []))];
    const keys = new Map<number, FindingRef>();
    for (const c of chunks(used)) {
      const found = await this.db.all<{ id: number; ref: string }>(
        `SELECT id, ref FROM finding_keys WHERE id IN (${marks(c.length)})`,
        c,
      );
      for (const k of found) keys.set(Number(k.id), JSON.parse(k.ref) as FindingRef);
    }
    return { entries, keys };
  }

  async recordFindings(id: string, findings: readonly FindingRef[]): Promise<void> {
    await this.db.tx('shared', async (q) => {
      await q.run('UPDATE snapshots SET findings = ? WHERE id = ?', [gzipJson(await keyIds(q, findings)), id]);
    });
  }

  async putDerived(id: string, version: string, entries: Readonly<Record<string, Uint8Array>>): Promise<void> {
    // Shared with other writes, exclusive of deletes: the snapshot cannot go between check and insert.
    await this.db.tx('shared', async (q) => {
      if ((await q.all('SELECT 1 AS x FROM snapshots WHERE id = ?', [id])).length === 0) return;
      for (const [name, body] of Object.entries(entries))
        await q.run(
          'INSERT INTO derived (snapshot, name, version, body) VALUES (?, ?, ?, ?) ON CONFLICT (snapshot, name) DO UPDATE SET version = excluded.version, body = excluded.body',
          [id, name, version, Buffer.from(body.buffer, body.byteOffset, body.byteLength)],
        );
    });
  }

  async getDerived(id: string, version: string, name: string): Promise<Uint8Array | undefined> {
    const rows = await this.db.all<{ body: Buffer }>(
      'SELECT body FROM derived WHERE snapshot = ? AND name = ? AND version = ?',
      [id, name, version],
    );
    return rows[0]?.body;
  }

  async claimRun(slot: number, startedAt: string): Promise<boolean> {
    return this.db.tx('shared', async (q) => {
      const won = await q.run(
        'INSERT INTO collection_runs (slot, started_at) VALUES (?, ?) ON CONFLICT (slot) DO NOTHING',
        [slot, startedAt],
      );
      await q.run(
        `DELETE FROM collection_runs WHERE slot NOT IN (SELECT slot FROM collection_runs ORDER BY slot DESC LIMIT ${RUNS_KEPT})`,
      );
      return won > 0;
    });
  }

  async finishRun(slot: number, outcome: RunOutcome): Promise<void> {
    await this.db.run('UPDATE collection_runs SET outcome = ?, snapshot = ?, message = ? WHERE slot = ?', [
      outcome.outcome,
      outcome.snapshot ?? null,
      outcome.message ?? null,
      slot,
    ]);
  }

  async runs(limit: number): Promise<CollectRun[]> {
    const rows = await this.db.all<{
      started_at: string;
      outcome: CollectRun['outcome'] | null;
      snapshot: string | null;
      message: string | null;
    }>(
      `SELECT started_at, outcome, snapshot, message FROM collection_runs WHERE outcome IS NOT NULL ORDER BY slot DESC LIMIT ${Math.floor(limit)}`,
    );
    return rows.map((r) => ({
      startedAt: r.started_at,
      outcome: r.outcome ?? 'failed',
      ...(r.snapshot === null ? {} : { snapshot: r.snapshot }),
      ...(r.message === null ? {} : { message: r.message }),
    }));
  }

  abstract usage(): Promise<Omit<StoreInfo, 'retention'>>;

  /** Counts for usage(): snapshots and distinct parts. */
  protected async counts(): Promise<{ snapshots: number; blobs: number }> {
    const rows = await this.db.all<{ s: number; b: number }>(
      'SELECT CAST((SELECT count(*) FROM snapshots) AS INTEGER) AS s, CAST((SELECT count(*) FROM blobs) AS INTEGER) AS b',
    );
    return { snapshots: Number(rows[0]?.s ?? 0), blobs: Number(rows[0]?.b ?? 0) };
  }

  onForeignPut(listener: (id: string) => void): () => void {
    this.foreign.add(listener);
    return () => this.foreign.delete(listener);
  }

  /** For subclasses: another server stored this snapshot. */
  protected foreignPut(id: string): void {
    for (const l of this.foreign) l(id);
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

/** The stored bytes of these parts, by id (those that are not there are missing from the map). */
async function blobBodies(q: SqlTx, ids: readonly number[]): Promise<Map<number, Uint8Array>> {
  const blobs = new Map<number, Uint8Array>();
  for (const c of chunks([...new Set(ids)])) {
    const rows = await q.all<{ id: number; body: Buffer }>(
      `SELECT id, body FROM blobs WHERE id IN (${marks(c.length)})`,
      c,
    );
    for (const r of rows) blobs.set(Number(r.id), r.body);
  }
  return blobs;
}

function toSummary(r: { summary: string; pinned_at: string | null }): SnapshotSummary {
  const s = JSON.parse(r.summary) as SnapshotSummary;
  return r.pinned_at === null ? s : { ...s, pinned: true };
}
