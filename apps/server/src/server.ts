import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SourcesConfig } from '@hoplens/model';
import { buildApp } from './app.ts';
import { isLoopback } from './security/accessControl.ts';
import type { AuditSink } from './security/auditLog.ts';
import { SnapshotService } from './services/snapshotService.ts';
import { SnapshotStore } from './store/snapshotStore.ts';

export interface StartOptions {
  readonly host: string;
  readonly port: number;
  readonly dbPath: string;
  /** Where "Collect now" collects from; undefined: nowhere (imports only). */
  readonly sources: SourcesConfig | undefined;
  readonly webDist?: string;
  /** Snapshot files imported when the store is empty: the seed demo a new user sees first. */
  readonly demoSnapshots?: readonly string[];
  readonly log?: boolean;
  /** Bearer token for writes (and reads with authReads). */
  readonly token?: string;
  readonly authReads?: boolean;
  /** Where write requests are recorded, one JSON line each: a file (created 0600, appended to), `-` for stderr. */
  readonly auditLog?: string;
  /** Host names the Host header may carry off loopback (DNS-rebinding guard). */
  readonly allowedHosts?: readonly string[];
  /** PEM certificate and key: with them, the server speaks HTTPS only. */
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer };
}

/** Opens the store, seeds the demo on first run, and listens. Returns the URL and a stop function. */
export async function startServer(opts: StartOptions): Promise<{ url: string; close: () => Promise<void> }> {
  mkdirSync(dirname(opts.dbPath), { recursive: true });
  const store = new SnapshotStore(opts.dbPath);
  const service = new SnapshotService(store, opts.sources);
  if (store.count() === 0) {
    for (const file of opts.demoSnapshots ?? []) service.import(JSON.parse(await readFile(file, 'utf8')));
  }
  const audit = opts.auditLog === undefined ? undefined : openAudit(opts.auditLog);
  const app = await buildApp({
    service,
    ...(opts.webDist ? { webDist: opts.webDist } : {}),
    ...(opts.tls ? { https: opts.tls } : {}),
    logger: opts.log ?? false,
    ...(audit ? { audit: audit.sink } : {}),
    access: {
      loopbackOnly: isLoopback(opts.host),
      ...(opts.allowedHosts ? { allowedHosts: opts.allowedHosts } : {}),
      ...(opts.token !== undefined ? { token: opts.token } : {}),
      authReads: opts.authReads ?? false,
    },
  });
  const address = await app.listen({ host: opts.host, port: opts.port });
  return {
    url: address,
    close: async () => {
      await app.close();
      store.close();
      audit?.close();
    },
  };
}

/** Audit lines to stderr (`-`) or appended to a file only its owner can read. */
function openAudit(target: string): { sink: AuditSink; close: () => void } {
  if (target === '-') return { sink: (line) => void process.stderr.write(`${line}\n`), close: () => undefined };
  const fd = openSync(target, 'a', 0o600);
  return { sink: (line) => void writeSync(fd, `${line}\n`), close: () => closeSync(fd) };
}
