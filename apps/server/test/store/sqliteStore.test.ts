import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { readSnapshot } from '@hoplens/model';
import broken from '@hoplens/model/fixtures/seed-broken.snapshot.json' with { type: 'json' };
import fixed from '@hoplens/model/fixtures/seed-fixed.snapshot.json' with { type: 'json' };
import { openStore } from '../../src/store/openStore.ts';
import { SqliteStore } from '../../src/store/sqliteStore.ts';
import { SqliteWorkerStore } from '../../src/store/sqliteWorkerStore.ts';
import { checkedRowContract } from './checkedContract.ts';
import { storeContract } from './contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'hoplens-sqlite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

// As a server opens it: in its worker thread (which runs SqliteStore, the same logic on one thread).
storeContract('SQLite', () => openStore(join(dir, `contract-${n++}.db`)));
checkedRowContract('SQLite', () => SqliteWorkerStore.open(join(dir, `checked-${n++}.db`)));

describe('SQLite files written by an older hoplens', () => {
  /** The table exactly as hoplens 0.1 created it, a whole gzipped snapshot per row. */
  function oldFile(path: string): void {
    const db = new Database(path);
    db.exec(`CREATE TABLE snapshots (id TEXT PRIMARY KEY, created_at TEXT NOT NULL, source TEXT NOT NULL,
      format INTEGER NOT NULL, summary TEXT NOT NULL, body BLOB NOT NULL);
      CREATE INDEX snapshots_created ON snapshots (created_at);`);
    for (const s of [broken, fixed]) {
      db.prepare('INSERT INTO snapshots VALUES (?, ?, ?, ?, ?, ?)').run(
        s.id,
        s.createdAt,
        s.source,
        s.format,
        JSON.stringify({
          id: s.id,
          createdAt: s.createdAt,
          source: s.source,
          hosts: 2,
          pods: 1,
          findings: { info: 0, warning: 0, critical: 0, fatal: 0 },
        }),
        gzipSync(JSON.stringify(s)),
      );
    }
    db.prepare('INSERT INTO snapshots VALUES (?, ?, ?, ?, ?, ?)').run(
      'damagedrow0000000000000',
      '2020',
      'x',
      1,
      '{}',
      Buffer.from('not gzip'),
    );
    db.close();
  }

  it('reads them before migrating, rewrites them as shared parts, and gives the same snapshots back', async () => {
    const path = join(dir, 'old.db');
    oldFile(path);
    const before = new SqliteStore(path);
    expect(await before.get(broken.id)).toEqual(readSnapshot(broken));
    expect((await before.usage()).blobs).toBe(0);
    expect(await before.migrate()).toBe(2);
    expect(await before.get(broken.id)).toEqual(readSnapshot(broken));
    expect(await before.get(fixed.id)).toEqual(readSnapshot(fixed));
    expect((await before.usage()).blobs).toBeGreaterThan(0);
    await before.close();
    // Opening again finds nothing left to rewrite; the damaged row stays as it was.
    const again = await openStore(path);
    expect(await (again as SqliteWorkerStore).migrate()).toBe(0);
    expect(await again.count()).toBe(3);
    await again.close();
  });
});
