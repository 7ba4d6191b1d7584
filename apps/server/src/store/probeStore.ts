import { gunzipSync, gzipSync } from 'node:zlib';
import { ProbeResultSchema, validate, type ProbeResult, type ProbeSummary } from '@hoplens/model';
import type { SnapshotStore } from './snapshotStore.ts';
import { SqlStore } from './sqlStore.ts';
import { SqliteWorkerStore, type SqlStatements } from './sqliteWorkerStore.ts';

/** The probe store beside a snapshot store (both SQL stores have one). */
export const probeStoreOf = (store: SnapshotStore): ProbeStore | undefined =>
  store instanceof SqlStore || store instanceof SqliteWorkerStore ? new ProbeStore(store.sql) : undefined;

/**
 * Probe results, kept beside the snapshot whose prediction they checked (the snapshot itself never
 * changes), in the snapshot store's database, SQLite or PostgreSQL: the result as gzipped JSON and
 * the pcapng of its packets.
 */
export class ProbeStore {
  private ready: Promise<void> | undefined;

  constructor(private readonly db: SqlStatements) {}

  private table(): Promise<void> {
    const blob = this.db.dialect === 'postgres' ? 'BYTEA' : 'BLOB';
    this.ready ??= this.db
      .run(
        `CREATE TABLE IF NOT EXISTS probes (id TEXT PRIMARY KEY, snapshot_id TEXT NOT NULL, created_at TEXT NOT NULL,
          summary TEXT NOT NULL, result ${blob} NOT NULL, pcap ${blob} NOT NULL)`,
      )
      .then(() => this.db.run('CREATE INDEX IF NOT EXISTS probes_snapshot ON probes (snapshot_id, created_at)'))
      .then(() => undefined);
    return this.ready;
  }

  async put(result: ProbeResult, pcap: Uint8Array): Promise<void> {
    if (result.snapshotId === null) throw new Error('a stored probe belongs to a snapshot');
    const summary: ProbeSummary = {
      id: result.id,
      createdAt: result.createdAt,
      from: result.send.from,
      to: result.send.to,
      observed: result.observed.verdict,
      agreement: result.agreement.verdict,
    };
    await this.table();
    // Snapshots retention deleted took their probes' reason to exist: their rows go now.
    await this.db.run('DELETE FROM probes WHERE snapshot_id NOT IN (SELECT id FROM snapshots)');
    await this.db.run(
      'INSERT INTO probes (id, snapshot_id, created_at, summary, result, pcap) VALUES (?, ?, ?, ?, ?, ?)',
      [
        result.id,
        result.snapshotId,
        result.createdAt,
        JSON.stringify(summary),
        gzipSync(JSON.stringify(result)),
        Buffer.from(pcap),
      ],
    );
  }

  /** The snapshot's probes, newest first. */
  async list(snapshotId: string): Promise<ProbeSummary[]> {
    await this.table();
    const rows = await this.db.all<{ summary: string }>(
      'SELECT summary FROM probes WHERE snapshot_id = ? ORDER BY created_at DESC',
      [snapshotId],
    );
    return rows.map((r) => JSON.parse(r.summary) as ProbeSummary);
  }

  async get(snapshotId: string, id: string): Promise<ProbeResult | undefined> {
    await this.table();
    const [row] = await this.db.all<{ result: Buffer }>('SELECT result FROM probes WHERE snapshot_id = ? AND id = ?', [
      snapshotId,
      id,
    ]);
    return row && validate(ProbeResultSchema, JSON.parse(gunzipSync(row.result).toString('utf8')), 'stored probe');
  }

  async pcap(snapshotId: string, id: string): Promise<Buffer | undefined> {
    await this.table();
    const [row] = await this.db.all<{ pcap: Buffer }>('SELECT pcap FROM probes WHERE snapshot_id = ? AND id = ?', [
      snapshotId,
      id,
    ]);
    return row?.pcap;
  }

  /** Deleted snapshots take their probes with them. */
  async deleteFor(snapshotIds: readonly string[]): Promise<void> {
    await this.table();
    for (const id of snapshotIds) await this.db.run('DELETE FROM probes WHERE snapshot_id = ?', [id]);
  }
}
