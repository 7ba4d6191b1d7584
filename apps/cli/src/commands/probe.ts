import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  assertProbeRoot,
  collectLocal,
  createSnapshot,
  probeLocally,
  ProbeInputError,
  snapshotHostMap,
} from '@hoplens/collector';
import {
  MAX_PROBE_COUNT,
  MAX_PROBE_SIZE,
  SnapshotIndex,
  TraceInputError,
  type HostMap,
  type Snapshot,
} from '@hoplens/model';
import { loadSnapshot } from '../loadSnapshot.ts';
import { printProbe } from '../printProbe.ts';
import { readHostMap } from '../readHostMap.ts';
import { UsageError } from '../usageError.ts';

/**
 * `hoplens probe (SNAPSHOT.json | --hosts HOSTMAP.json) --from HOST[/NETNS] --to IP [--count N]
 * [--size BYTES] [--df] [--json] [--pcap FILE]`: pings for real from a namespace of this machine
 * and checks the trace's prediction against what the kernel did. Root only.
 */
export async function probe(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      hosts: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      count: { type: 'string', default: '3' },
      size: { type: 'string', default: '56' },
      df: { type: 'boolean' },
      json: { type: 'boolean' },
      pcap: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (!values.from || !values.to) throw new UsageError('probe needs --from HOST[/NETNS] and --to IP');
  const count = bounded('--count', values.count, 1, MAX_PROBE_COUNT);
  const size = bounded('--size', values.size, 0, MAX_PROBE_SIZE);
  if (Boolean(values.hosts) === Boolean(positionals[0]))
    throw new UsageError('probe needs a SNAPSHOT.json collected on this machine, or --hosts HOSTMAP.json');
  try {
    assertProbeRoot();
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  let snapshot: Snapshot;
  let map: HostMap;
  if (values.hosts) {
    map = await readHostMap(values.hosts);
    snapshot = createSnapshot(await collectLocal(map), `local:${values.hosts}`);
  } else {
    snapshot = await loadSnapshot(positionals[0]);
    map = snapshotHostMap(snapshot);
  }
  const index = new SnapshotIndex(snapshot);
  const slash = values.from.indexOf('/');
  const host = slash < 0 ? values.from : values.from.slice(0, slash);
  if (!snapshot.hosts.some((h) => h.name === host)) throw new UsageError(`no host "${host}" in the snapshot`);
  const netns = slash < 0 ? (index.rootOf(host)?.ns.name ?? null) : values.from.slice(slash + 1);
  // A probe stopped by Ctrl-C or kill still removes its tracefs instance and its helper (exit handlers).
  const stop = (code: number) => (): void => process.exit(code);
  process.once('SIGINT', stop(130));
  process.once('SIGTERM', stop(143));
  let out;
  try {
    out = await probeLocally({ map, index, from: { host, netns }, to: values.to, count, size, df: values.df ?? false });
  } catch (e) {
    if (e instanceof TraceInputError || e instanceof ProbeInputError) throw new UsageError(e.message);
    throw e;
  }
  if (values.pcap) await writeFile(values.pcap, out.pcap, { mode: 0o600 });
  process.stdout.write(values.json ? `${JSON.stringify(out.result, null, 2)}\n` : printProbe(out.result));
}

function bounded(name: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max)
    throw new UsageError(`${name} must be ${min} to ${max}, got "${text}"`);
  return n;
}
