import Database from 'better-sqlite3';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ProbeResultSchema, validate, type ProbeResult, type ProbeSummary } from '@hoplens/model';

/**
 * Probe results, kept beside the snapshot whose prediction they checked (the snapshot itself never
 * changes): the result as gzipped JSON and the pcapng of its packets. Its own connection to the
 * snapshot database (WAL lets both write).
 */
export class ProbeStore {
  private readonly db: Database.Database;

  constructor(path: string) {
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS probes (
        id TEXT PRIMARY KEY,
        snapshot_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        summary TEXT NOT NULL,
        result BLOB NOT NULL,
        pcap BLOB NOT NULL
      );
      CREATE INDEX IF NOT EXISTS probes_snapshot ON probes (snapshot_id, created_at);
    `);
  }

  put(result: ProbeResult, pcap: Uint8Array): void {
    if (result.snapshotId === null) throw new Error('a stored probe belongs to a snapshot');
    const summary: ProbeSummary = {
      id: result.id,
      createdAt: result.createdAt,
      from: result.send.from,
      to: result.send.to,
      observed: result.observed.verdict,
      agreement: result.agreement.verdict,
    };
    this.db
      .prepare('INSERT INTO probes (id, snapshot_id, created_at, summary, result, pcap) VALUES (?, ?, ?, ?, ?, ?)')
      .run(
        result.id,
        result.snapshotId,
        result.createdAt,
        JSON.stringify(summary),
        gzipSync(JSON.stringify(result)),
        Buffer.from(pcap),
      );
  }

  /** The snapshot's probes, newest first. */
  list(snapshotId: string): ProbeSummary[] {
    return this.db
      .prepare<[string], { summary: string }>(
        'SELECT summary FROM probes WHERE snapshot_id = ? ORDER BY created_at DESC',
      )
      .all(snapshotId)
      .map((r) => JSON.parse(r.summary) as ProbeSummary);
  }

  get(snapshotId: string, id: string): ProbeResult | undefined {
    const row = this.db
      .prepare<[string, string], { result: Buffer }>('SELECT result FROM probes WHERE snapshot_id = ? AND id = ?')
      .get(snapshotId, id);
    return row && validate(ProbeResultSchema, JSON.parse(gunzipSync(row.result).toString('utf8')), 'stored probe');
  }

  pcap(snapshotId: string, id: string): Buffer | undefined {
    return this.db
      .prepare<[string, string], { pcap: Buffer }>('SELECT pcap FROM probes WHERE snapshot_id = ? AND id = ?')
      .get(snapshotId, id)?.pcap;
  }

  /** A deleted snapshot takes its probes with it. */
  deleteFor(snapshotId: string): void {
    this.db.prepare('DELETE FROM probes WHERE snapshot_id = ?').run(snapshotId);
  }

  close(): void {
    this.db.close();
  }
}
