import { readFile } from 'node:fs/promises';
import type { SourcesConfig } from '@hoplens/model';
import { buildApp } from './app.ts';
import { isLoopback } from './security/accessControl.ts';
import { systemClock, type Clock } from './services/clock.ts';
import { CollectSchedule } from './services/collectSchedule.ts';
import { HistoryService } from './services/historyService.ts';
import type { RetentionPolicy } from './services/retention.ts';
import { SnapshotService } from './services/snapshotService.ts';
import { openStore } from './store/openStore.ts';

export interface StartOptions {
  readonly host: string;
  readonly port: number;
  /** A SQLite file, or a `postgres://…` URL for servers sharing one database. */
  readonly db: string;
  /** Where "Collect now" collects from; undefined: nowhere (imports only). */
  readonly sources: SourcesConfig | undefined;
  /** Collect on its own this often (needs sources). */
  readonly everyMs?: number;
  /** What to keep; default: everything. */
  readonly retention?: RetentionPolicy;
  readonly webDist?: string;
  /** Snapshot files imported (and pinned) when the store is empty: the seed demo a new user sees first. */
  readonly demoSnapshots?: readonly string[];
  readonly log?: boolean;
  /** Lines for the operator (retention's deletions, failed scheduled runs); default: stderr. */
  readonly notice?: (message: string) => void;
  /** Bearer token for writes (and reads with authReads). */
  readonly token?: string;
  readonly authReads?: boolean;
  /** PEM files; with both, the server speaks HTTPS only. */
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
  /** Time for the schedule and retention (tests move a fake one on). */
  readonly clock?: Clock;
}

/** Opens the store, seeds the demo on first run, and listens. Returns the URL and a stop function. */
export async function startServer(opts: StartOptions): Promise<{ url: string; close: () => Promise<void> }> {
  const notice = opts.notice ?? ((m: string) => process.stderr.write(`hoplens: ${m}\n`));
  const store = await openStore(opts.db, { onError: (e) => notice(`database: ${e.message}`) });
  const service = new SnapshotService(store, opts.sources);
  const clock = opts.clock ?? systemClock;
  const history = new HistoryService(service, store, {
    retention: opts.retention ?? {},
    log: notice,
    now: () => clock.now(),
  });
  if ((await store.count()) === 0) {
    for (const file of opts.demoSnapshots ?? []) {
      const summary = await service.import(JSON.parse(await readFile(file, 'utf8')));
      // The demo is what a new user opens first: retention never takes it away.
      await history.pin(summary.id);
    }
  }
  history.start();
  const schedule =
    opts.everyMs === undefined || !service.canCollect ? undefined : scheduleFor(service, opts.everyMs, notice);
  if (schedule) {
    service.scheduleStatus = async () => ({ ...schedule.status(), runs: await store.runs(20) });
    schedule.start();
  }
  // A retention pass now (the policy may be new) and after each snapshot stored here.
  const offRetention = service.events.subscribe((e) => {
    if (e.name === 'snapshot') void history.applyRetention();
  });
  await history.applyRetention();
  const https = opts.tls
    ? { cert: await readFile(opts.tls.certFile), key: await readFile(opts.tls.keyFile) }
    : undefined;
  const app = await buildApp({
    service,
    history,
    ...(opts.webDist ? { webDist: opts.webDist } : {}),
    ...(https ? { https } : {}),
    logger: opts.log ?? false,
    access: {
      loopbackOnly: isLoopback(opts.host),
      ...(opts.token !== undefined ? { token: opts.token } : {}),
      authReads: opts.authReads ?? false,
    },
  });
  const address = await app.listen({ host: opts.host, port: opts.port });
  return {
    url: address,
    close: async () => {
      schedule?.stop();
      offRetention();
      history.stop();
      await app.close();
      await store.close();
    },
  };

  function scheduleFor(s: SnapshotService, everyMs: number, log: (m: string) => void): CollectSchedule {
    return new CollectSchedule({
      everyMs,
      clock,
      claim: (slot, startedAt) => store.claimRun(slot, startedAt),
      finish: (slot, outcome) => store.finishRun(slot, outcome),
      run: async () => {
        try {
          return { outcome: 'stored', snapshot: (await s.collect()).id };
        } catch (e) {
          log(`scheduled collection failed: ${(e as Error).message}`);
          return { outcome: 'failed', message: (e as Error).message };
        }
      },
      onError: (e) => log(`schedule: ${(e as Error).message}`),
    });
  }
}
