import { closeSync, openSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { printable, type SourcesConfig } from '@hoplens/model';
import { buildApp } from './app.ts';
import { isLoopback } from './security/accessControl.ts';
import type { AuditSink } from './security/auditLog.ts';
import { systemClock, type Clock } from './services/clock.ts';
import { CollectSchedule } from './services/collectSchedule.ts';
import { HistoryService } from './services/historyService.ts';
import type { RetentionPolicy } from './services/retention.ts';
import { ProbeService } from './services/probeService.ts';
import { SnapshotService } from './services/snapshotService.ts';
import { openStore } from './store/openStore.ts';
import { probeStoreOf } from './store/probeStore.ts';

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
  /** Where write requests are recorded, one JSON line each: a file (created 0600, appended to), `-` for stderr. */
  readonly auditLog?: string;
  /** Host names the Host header may carry off loopback (DNS-rebinding guard). */
  readonly allowedHosts?: readonly string[];
  /** PEM certificate and key: with them, the server speaks HTTPS only. */
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer };
  /** Largest import in bytes of JSON once decompressed; default DEFAULT_IMPORT_LIMIT (500 MiB). */
  readonly importLimit?: number;
  /** Time for the schedule and retention (tests move a fake one on). */
  readonly clock?: Clock;
}

/** Opens the store, seeds the demo on first run, and listens. Returns the URL and a stop function. */
export async function startServer(opts: StartOptions): Promise<{ url: string; close: () => Promise<void> }> {
  // Notices name sources and hosts, which come from snapshots: escaped for the terminal or log file.
  const notice = opts.notice ?? ((m: string) => process.stderr.write(`hoplens: ${printable(m)}\n`));
  const store = await openStore(opts.db, { onError: (e) => notice(`database: ${e.message}`) });
  const service = new SnapshotService(store, opts.sources);
  const probes = new ProbeService(service, probeStoreOf(store), opts.sources);
  service.warm();
  const clock = opts.clock ?? systemClock;
  const history = new HistoryService(service, store, {
    retention: opts.retention ?? {},
    log: notice,
    now: () => clock.now(),
  });
  if ((await store.count()) === 0) {
    for (const file of opts.demoSnapshots ?? []) {
      const summary = await service.import(await readFile(file));
      // The demo is what a new user opens first: retention never takes it away.
      await history.pin(summary.id);
    }
  }
  const audit = opts.auditLog === undefined ? undefined : openAudit(opts.auditLog);
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
  const app = await buildApp({
    service,
    probes,
    history,
    ...(opts.webDist ? { webDist: opts.webDist } : {}),
    ...(opts.tls ? { https: opts.tls } : {}),
    ...(opts.importLimit === undefined ? {} : { importLimit: opts.importLimit }),
    logger: opts.log ?? false,
    ...(audit ? { audit: audit.sink } : {}),
    access: {
      loopbackOnly: isLoopback(opts.host),
      ...(opts.allowedHosts ? { allowedHosts: opts.allowedHosts } : {}),
      ...(opts.token !== undefined ? { token: opts.token } : {}),
      authReads: opts.authReads ?? false,
    },
  });
  const close = async (): Promise<void> => {
    schedule?.stop();
    offRetention();
    history.stop();
    await app.close();
    await store.close();
    audit?.close();
  };
  try {
    return { url: await app.listen({ host: opts.host, port: opts.port }), close };
  } catch (e) {
    // The port is taken or the address is not this machine's: nothing will be served, so what was
    // opened for it is closed, as close() would (the process's shared analysis worker stays, as then).
    await close().catch(() => undefined);
    throw e;
  }

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

/** Audit lines to stderr (`-`) or appended to a file only its owner can read. */
function openAudit(target: string): { sink: AuditSink; close: () => void } {
  if (target === '-') return { sink: (line) => void process.stderr.write(`${line}\n`), close: () => undefined };
  const fd = openSync(target, 'a', 0o600);
  return { sink: (line) => void writeSync(fd, `${line}\n`), close: () => closeSync(fd) };
}
