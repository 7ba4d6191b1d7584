import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { assetUrl, localHostMap } from '@hoplens/collector';
import {
  formatDuration,
  localSources,
  parseDuration,
  problemsText,
  repeatedHostNames,
  SourcesConfigSchema,
  type SourcesConfig,
} from '@hoplens/model';
import { readConfig } from '../readConfig.ts';
import { readHostMap } from '../readHostMap.ts';
import { withPathsFrom } from '../sourcesPaths.ts';
import { readTls } from '../readTls.ts';
import { readToken } from '../readToken.ts';
import { isLoopback, startServer, type RetentionPolicy } from '@hoplens/server';
import { UsageError } from '../usageError.ts';

/** The seed demo: snapshots recorded from the lab, shipped so the fault shows without root. */
export const DEMO_SNAPSHOTS = ['seed-broken.snapshot.json', 'seed-fixed.snapshot.json'].map((file) =>
  fileURLToPath(
    assetUrl(import.meta.url, { source: `../../../../packages/model/fixtures/${file}`, built: `./demo/${file}` }),
  ),
);
/** The dashboard: Vite's output, copied beside the built CLI. */
const WEB_DIST = fileURLToPath(assetUrl(import.meta.url, { source: '../../../web/dist/', built: './web/' }));

/** A DNS name or an IP literal, with an optional port. */
const HOST_NAME = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252})|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** `hoplens start`: the dashboard, on 127.0.0.1 unless told otherwise. */
export async function start(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: process.env.HOPLENS_PORT ?? '7080' },
      db: { type: 'string', default: process.env.HOPLENS_DB ?? '.hoplens/hoplens.db' },
      hosts: { type: 'string' },
      sources: { type: 'string' },
      'no-demo': { type: 'boolean' },
      'token-file': { type: 'string' },
      'auth-reads': { type: 'boolean' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'audit-log': { type: 'string', default: '-' },
      'allowed-hosts': { type: 'string' },
      every: { type: 'string' },
      keep: { type: 'string' },
      'keep-last': { type: 'string' },
      'import-limit': { type: 'string' },
    },
    strict: true,
  });
  // Digits only: Number() would take 1e3, 0x1d00 and " 7430" as ports too.
  const port = /^\d{1,5}$/.test(values.port) ? Number(values.port) : NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be 0-65535, got ${values.port}`);
  if (values.hosts && values.sources) throw new UsageError('give --hosts or --sources, not both');
  // Without either, "Collect now" collects this machine: its own namespace and the named ones.
  const sources = values.sources
    ? await readSources(values.sources)
    : localSources(values.hosts ? await readHostMap(values.hosts) : await localHostMap());
  const everyText = values.every ?? sources.every;
  const everyMs = everyText === undefined ? undefined : duration('--every', everyText);
  if (everyMs !== undefined && everyMs < 10_000) throw new UsageError('--every must be at least 10s');
  const retention = retentionOf(values.keep, values['keep-last'], everyMs !== undefined);
  const token = await readToken(values['token-file'], 'HOPLENS_TOKEN');
  if (values['auth-reads'] && token === undefined)
    throw new UsageError('--auth-reads needs a token: --token-file FILE or HOPLENS_TOKEN');
  const allowedHosts = values['allowed-hosts']?.split(',').map((h) => h.trim());
  if (allowedHosts?.some((h) => !HOST_NAME.test(h)))
    throw new UsageError(
      `--allowed-hosts must be host names or NAME:PORT, comma-separated; got ${values['allowed-hosts']}`,
    );
  const importLimitMib = values['import-limit'] === undefined ? undefined : Number(values['import-limit']);
  if (
    importLimitMib !== undefined &&
    !(Number.isInteger(importLimitMib) && importLimitMib >= 1 && importLimitMib <= 512)
  )
    throw new UsageError(`--import-limit must be 1-512 (MiB of JSON, decompressed), got ${values['import-limit']}`);
  const tls = await readTls(values['tls-cert'], values['tls-key']);
  if (!isLoopback(values.host) && token === undefined) {
    process.stderr.write(
      `warning: listening on ${values.host} without a token: writes are refused; give --token-file to allow them\n`,
    );
  }
  if (!isLoopback(values.host) && !allowedHosts && !values['auth-reads']) {
    process.stderr.write(
      `warning: listening on ${values.host} without --allowed-hosts or --auth-reads: any web page a browser here opens could read snapshots through DNS rebinding\n`,
    );
  }
  const server = await startServer({
    host: values.host,
    port,
    db: values.db,
    sources,
    ...(everyMs === undefined ? {} : { everyMs }),
    retention,
    webDist: WEB_DIST,
    demoSnapshots: values['no-demo'] ? [] : DEMO_SNAPSHOTS,
    ...(token !== undefined ? { token } : {}),
    authReads: values['auth-reads'] ?? false,
    ...(tls ? { tls } : {}),
    auditLog: values['audit-log'],
    ...(allowedHosts ? { allowedHosts } : {}),
    ...(importLimitMib === undefined ? {} : { importLimit: importLimitMib * 2 ** 20 }),
  });
  process.stdout.write(`hoplens dashboard: ${server.url}\n`);
  if (everyMs !== undefined) process.stdout.write(`collecting every ${formatDuration(everyMs)}\n`);
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/**
 * A sources file, its paths taken relative to it. A local source's hosts are one host map (a
 * --hosts file is checked by readHostMap): two of one name would fail every collection, late.
 */
async function readSources(file: string): Promise<SourcesConfig> {
  const config = withPathsFrom(await readConfig(file, 'sources', SourcesConfigSchema), file);
  for (const source of config.sources) {
    const repeated = source.kind === 'local' ? repeatedHostNames(source.hosts) : [];
    if (repeated.length > 0) throw new UsageError(`${file}: ${problemsText('local source', repeated)}`);
  }
  return config;
}

/** A duration flag's milliseconds, or a usage error naming the flag. */
function duration(flag: string, text: string): number {
  try {
    return parseDuration(text);
  } catch (e) {
    throw new UsageError(`${flag}: ${(e as Error).message}`);
  }
}

/**
 * What to keep. A server that collects on its own keeps 7 days unless told otherwise (its disk
 * would otherwise grow for as long as it runs); one that stores only what people collect or import
 * keeps everything. `--keep all` keeps everything in both cases.
 */
function retentionOf(keep: string | undefined, keepLast: string | undefined, periodic: boolean): RetentionPolicy {
  const last = keepLast === undefined ? undefined : Number(keepLast);
  if (last !== undefined && (!Number.isInteger(last) || last < 1))
    throw new UsageError(`--keep-last must be a whole number of snapshots, got ${keepLast}`);
  const keepMs =
    keep === 'all'
      ? undefined
      : keep !== undefined
        ? duration('--keep', keep)
        : periodic && last === undefined
          ? DEFAULT_KEEP_MS
          : undefined;
  return { ...(keepMs === undefined ? {} : { keepMs }), ...(last === undefined ? {} : { keepLast: last }) };
}

const DEFAULT_KEEP_MS = 7 * 86_400_000;
