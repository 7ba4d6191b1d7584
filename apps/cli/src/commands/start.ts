import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { localHostMap } from '@hoplens/collector';
import { HostMapSchema, validate } from '@hoplens/model';
import { startServer } from '@hoplens/server';
import { readJsonFile } from '../readJsonFile.ts';
import { UsageError } from '../usageError.ts';

const here = (rel: string): string => fileURLToPath(new URL(rel, import.meta.url));

/** The seed demo: snapshots recorded from the lab, shipped so the fault shows without root. */
export const DEMO_SNAPSHOTS = [
  fileURLToPath(import.meta.resolve('@hoplens/model/fixtures/seed-broken.snapshot.json')),
  fileURLToPath(import.meta.resolve('@hoplens/model/fixtures/seed-fixed.snapshot.json')),
];

/** `hoplens start`: the dashboard, on 127.0.0.1 unless told otherwise. */
export async function start(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: process.env.HOPLENS_PORT ?? '7080' },
      db: { type: 'string', default: process.env.HOPLENS_DB ?? '.hoplens/hoplens.db' },
      hosts: { type: 'string' },
      'no-demo': { type: 'boolean' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be 0-65535, got ${values.port}`);
  // Without a host map, "Collect now" collects this machine: its own namespace and the named ones.
  let hostMap = values.hosts ? undefined : await localHostMap();
  if (values.hosts) {
    try {
      hostMap = validate(HostMapSchema, await readJsonFile(values.hosts, 'host map'), 'host map');
    } catch (e) {
      throw e instanceof UsageError ? e : new UsageError(`${values.hosts}: ${(e as Error).message}`);
    }
  }
  const server = await startServer({
    host: values.host,
    port,
    dbPath: values.db,
    hostMap,
    webDist: here('../../../web/dist'),
    demoSnapshots: values['no-demo'] ? [] : DEMO_SNAPSHOTS,
  });
  process.stdout.write(`hoplens dashboard: ${server.url}\n`);
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
