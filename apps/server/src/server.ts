import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SourcesConfig } from '@hoplens/model';
import { buildApp } from './app.ts';
import { isLoopback } from './security/accessControl.ts';
import { ProbeService } from './services/probeService.ts';
import { SnapshotService } from './services/snapshotService.ts';
import { ProbeStore } from './store/probeStore.ts';
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
  /** PEM files; with both, the server speaks HTTPS only. */
  readonly tls?: { readonly certFile: string; readonly keyFile: string };
}

/** Opens the store, seeds the demo on first run, and listens. Returns the URL and a stop function. */
export async function startServer(opts: StartOptions): Promise<{ url: string; close: () => Promise<void> }> {
  mkdirSync(dirname(opts.dbPath), { recursive: true });
  const store = new SnapshotStore(opts.dbPath);
  const service = new SnapshotService(store, opts.sources);
  const probeStore = new ProbeStore(opts.dbPath);
  const probes = new ProbeService(service, probeStore, opts.sources);
  if (store.count() === 0) {
    for (const file of opts.demoSnapshots ?? []) service.import(JSON.parse(await readFile(file, 'utf8')));
  }
  const https = opts.tls
    ? { cert: await readFile(opts.tls.certFile), key: await readFile(opts.tls.keyFile) }
    : undefined;
  const app = await buildApp({
    service,
    probes,
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
      await app.close();
      probeStore.close();
      store.close();
    },
  };
}
