import { gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SchemaError, type Snapshot, type SnapshotSummary } from '@hoplens/model';
import broken from '@hoplens/model/fixtures/seed-broken.snapshot.json' with { type: 'json' };
import { canonicalJson } from '../../src/store/canonicalJson.ts';
import { metaOf, splitSnapshot, type Manifest } from '../../src/store/snapshotParts.ts';
import type { SnapshotStore } from '../../src/store/snapshotStore.ts';
import type { SqlTx } from '../../src/store/sqlDb.ts';
import { storedSchemaId } from '../../src/store/storedSchemaId.ts';
import { later } from './contract.ts';

const summaryOf = (s: Snapshot): SnapshotSummary => ({
  id: s.id,
  createdAt: s.createdAt,
  source: s.source,
  hosts: s.hosts.length,
  pods: s.pods.length,
  findings: { info: 0, warning: 0, critical: 0, fatal: 0 },
});

/** A host field no format defines: the full check drops it (Value.Clean), a trusted read keeps it. */
const withUnknownField = (n: number): Snapshot =>
  later(broken as Snapshot, n, (x) => {
    (x.hosts[0] as unknown as Record<string, unknown>).notInTheFormat = 'seen only unchecked';
  });
const unknownField = (s: Snapshot | undefined): unknown =>
  (s?.hosts[0] as unknown as Record<string, unknown> | undefined)?.notInTheFormat;

/**
 * Rows marked as checked when stored (storedMark.ts), run against SQLite and PostgreSQL alike: a
 * marked row whose bytes are unchanged is read without the schema check; any other row (no mark,
 * other bytes, another schema) is checked in full, as every row was before. `open` gives a new,
 * empty store with its SQL reachable (to play an older hoplens or a damaged row).
 */
export function checkedRowContract(name: string, open: () => Promise<SnapshotStore & { readonly sql: SqlTx }>): void {
  describe(`${name} store: rows checked when stored`, () => {
    let store: SnapshotStore & { readonly sql: SqlTx };
    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });

    /** Stores a snapshot whose maker says it passed this build's schema (a lie here, to see the skip). */
    const putVouched = (s: Snapshot): Promise<boolean> =>
      store.putParts({ ...metaOf(s), checked: storedSchemaId() }, splitSnapshot(s), summaryOf(s), []);
    const mark = async (id: string): Promise<string | null | undefined> =>
      (await store.sql.all<{ checked: string | null }>('SELECT checked FROM snapshots WHERE id = ?', [id]))[0]?.checked;
    /** The stored part of host 0, by id, and its JSON. */
    const hostPart = async (id: string): Promise<{ blob: number; json: Record<string, unknown> }> => {
      const row = (await store.sql.all<{ body: Uint8Array }>('SELECT body FROM snapshots WHERE id = ?', [id]))[0]!;
      const blob = (JSON.parse(gunzipSync(row.body).toString('utf8')) as Manifest).hosts[0]!;
      const part = (await store.sql.all<{ body: Uint8Array }>('SELECT body FROM blobs WHERE id = ?', [blob]))[0]!;
      return { blob, json: JSON.parse(gunzipSync(part.body).toString('utf8')) as Record<string, unknown> };
    };
    const rewritePart = (blob: number, json: unknown): Promise<number> =>
      store.sql.run('UPDATE blobs SET body = ? WHERE id = ?', [gzipSync(canonicalJson(json)), blob]);

    it('marks the row of a snapshot it checked while storing it, and gives it back unchanged', async () => {
      const s = later(broken as Snapshot, 1);
      await store.put(s, summaryOf(s), []);
      expect(await mark(s.id)).toMatch(new RegExp(`^${storedSchemaId()} [0-9a-f]{64}$`));
      expect(await store.get(s.id)).toEqual(s);
    });

    it('leaves unmarked a snapshot that does not pass the check, and reads it checked', async () => {
      const s = withUnknownField(2);
      await store.put(s, summaryOf(s), []);
      expect(await mark(s.id)).toBeNull();
      expect(unknownField(await store.get(s.id))).toBeUndefined();
    });

    it('reads a marked row with unchanged bytes without checking its schema again', async () => {
      const s = withUnknownField(3);
      await putVouched(s);
      // Kept: nothing walked the schema (the full check drops it, as the next test shows).
      expect(unknownField(await store.get(s.id))).toBe('seen only unchecked');
    });

    it('checks in full a row without a mark, as stored by an older hoplens', async () => {
      const s = withUnknownField(4);
      await putVouched(s);
      await store.sql.run('UPDATE snapshots SET checked = NULL WHERE id = ?', [s.id]);
      expect(unknownField(await store.get(s.id))).toBeUndefined();
    });

    it('checks in full a row marked under another build schema', async () => {
      const s = withUnknownField(5);
      await putVouched(s);
      const digest = (await mark(s.id))!.split(' ')[1]!;
      await store.sql.run('UPDATE snapshots SET checked = ? WHERE id = ?', [`0123456789abcdef ${digest}`, s.id]);
      expect(unknownField(await store.get(s.id))).toBeUndefined();
    });

    it('checks in full a marked row whose stored part changed since, and refuses it when it no longer passes', async () => {
      const s = later(broken as Snapshot, 6);
      await store.put(s, summaryOf(s), []);
      const { blob, json } = await hostPart(s.id);
      await rewritePart(blob, { ...json, notInTheFormat: 1 });
      // The digest no longer matches: the full check ran (and dropped the field).
      expect(unknownField(await store.get(s.id))).toBeUndefined();
      expect(await store.get(s.id)).toEqual(s);
      await rewritePart(blob, { ...json, namespaces: 'not a list' });
      await expect(store.get(s.id)).rejects.toThrow(SchemaError);
      await expect(store.get(s.id)).rejects.toThrow(/invalid stored snapshot: \/hosts\/0\/namespaces/);
    });

    it('checks in full a marked row whose manifest changed since', async () => {
      const s = later(broken as Snapshot, 7);
      await store.put(s, summaryOf(s), []);
      const row = (await store.sql.all<{ body: Uint8Array }>('SELECT body FROM snapshots WHERE id = ?', [s.id]))[0]!;
      const manifest = JSON.parse(gunzipSync(row.body).toString('utf8')) as Manifest;
      const tampered = { ...manifest, source: 42 };
      await store.sql.run('UPDATE snapshots SET body = ? WHERE id = ?', [gzipSync(JSON.stringify(tampered)), s.id]);
      await expect(store.get(s.id)).rejects.toThrow(/invalid stored snapshot: \/source/);
    });
  });
}
