import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { localHostMap } from '@hoplens/collector';
import { HostMapSchema, localSources, SourcesConfigSchema } from '@hoplens/model';
import { readConfig } from '../readConfig.ts';
import { readTls } from '../readTls.ts';
import { readToken } from '../readToken.ts';
import { isLoopback, startServer } from '@hoplens/server';
import { UsageError } from '../usageError.ts';

const here = (rel: string): string => fileURLToPath(new URL(rel, import.meta.url));

/** The seed demo: snapshots recorded from the lab, shipped so the fault shows without root. */
export const DEMO_SNAPSHOTS = [
  fileURLToPath(import.meta.resolve('@hoplens/model/fixtures/seed-broken.snapshot.json')),
  fileURLToPath(import.meta.resolve('@hoplens/model/fixtures/seed-fixed.snapshot.json')),
];

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
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be 0-65535, got ${values.port}`);
  if (values.hosts && values.sources) throw new UsageError('give --hosts or --sources, not both');
  // Without either, "Collect now" collects this machine: its own namespace and the named ones.
  const sources = values.sources
    ? await readConfig(values.sources, 'sources', SourcesConfigSchema)
    : localSources(values.hosts ? await readConfig(values.hosts, 'host map', HostMapSchema) : await localHostMap());
  const token = await readToken(values['token-file'], 'HOPLENS_TOKEN');
  if (values['auth-reads'] && token === undefined)
    throw new UsageError('--auth-reads needs a token: --token-file FILE or HOPLENS_TOKEN');
  const allowedHosts = values['allowed-hosts']?.split(',').map((h) => h.trim());
  if (allowedHosts?.some((h) => !HOST_NAME.test(h)))
    throw new UsageError(
      `--allowed-hosts must be host names or NAME:PORT, comma-separated; got ${values['allowed-hosts']}`,
    );
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
    dbPath: values.db,
    sources,
    webDist: here('../../../web/dist'),
    demoSnapshots: values['no-demo'] ? [] : DEMO_SNAPSHOTS,
    ...(token !== undefined ? { token } : {}),
    authReads: values['auth-reads'] ?? false,
    ...(tls ? { tls } : {}),
    auditLog: values['audit-log'],
    ...(allowedHosts ? { allowedHosts } : {}),
  });
  process.stdout.write(`hoplens dashboard: ${server.url}\n`);
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
