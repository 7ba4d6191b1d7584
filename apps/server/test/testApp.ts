import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../src/app.ts';
import { SnapshotService } from '../src/services/snapshotService.ts';
import { SqliteStore } from '../src/store/sqliteStore.ts';

export interface TestApp {
  readonly app: FastifyInstance;
  readonly store: SqliteStore;
  readonly dir: string;
  close(): Promise<void>;
}

/** A real app over a real SQLite file in a fresh temporary folder. */
export async function testApp(opts: Omit<AppOptions, 'service'> & { maxPages?: number } = {}): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'hoplens-test-'));
  const store = new SqliteStore(join(dir, 'h.db'), opts.maxPages !== undefined ? { maxPages: opts.maxPages } : {});
  const app = await buildApp({ ...opts, service: new SnapshotService(store, undefined) });
  return {
    app,
    store,
    dir,
    close: async () => {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
