import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect, it } from 'vitest';
import { SnapshotDiffSchema, validate } from '@hoplens/model';
import broken from '@hoplens/model/fixtures/seed-broken.snapshot.json' with { type: 'json' };
import fixed from '@hoplens/model/fixtures/seed-fixed.snapshot.json' with { type: 'json' };
import bridged from '@hoplens/model/fixtures/bridged-ok.snapshot.json' with { type: 'json' };
import { SnapshotService } from '../src/services/snapshotService.ts';
import { SqliteStore } from '../src/store/sqliteStore.ts';

it('compares two stored snapshots its analysis budget cannot hold together, not "no snapshot" about one', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hoplens-compare-budget-'));
  const store = new SqliteStore(join(dir, 'h.db'));
  try {
    const importer = new SnapshotService(store, undefined);
    await importer.import(Buffer.from(JSON.stringify(broken)));
    await importer.import(Buffer.from(JSON.stringify(fixed)));
    await importer.import(Buffer.from(JSON.stringify(bridged)));
    importer.close();
    // A server whose budget holds less than one analysis (as two 150,000-pod snapshots are to the
    // default budget): loading the second evicted the first, and the comparison answered 404.
    const tight = new SnapshotService(store, undefined, { heapMb: 1024, cacheBytes: 1, youngMb: 32 });
    try {
      const diff = validate(
        SnapshotDiffSchema,
        JSON.parse(gunzipSync(await tight.compare(broken.id, fixed.id)).toString('utf8')),
        'diff',
      );
      expect(diff.findings.resolved.map((f) => f.rule)).toContain('mac-mismatch-across-tunnel');
      // Another snapshot asked for: both analyses go, as the budget says.
      expect(gunzipSync(await tight.pods(bridged.id, {})).length).toBeGreaterThan(0);
      // Asked again (both analyses evicted), the comparison is the same answer, kept: no snapshot is
      // read back from the store for it.
      const read: string[] = [];
      const off = tight.events.subscribe((e) => {
        const compared = e.name === 'prepare' && [broken.id, fixed.id].includes(e.data.snapshot);
        if (compared && e.data.stage === 'reading') read.push(e.data.snapshot);
      });
      const again = await tight.compare(broken.id, fixed.id);
      off();
      expect(read).toEqual([]);
      expect(validate(SnapshotDiffSchema, JSON.parse(gunzipSync(again).toString('utf8')), 'diff')).toEqual(diff);
      // Once one of the two is deleted, nothing of their comparison is served.
      await tight.delete(broken.id);
      await expect(tight.compare(broken.id, fixed.id)).rejects.toMatchObject({ statusCode: 404 });
      await expect(tight.compare(fixed.id, broken.id)).rejects.toMatchObject({ statusCode: 404 });
    } finally {
      tight.close();
    }
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
