import { parseArgs } from 'node:util';
import {
  netnsFrom,
  printable,
  runRules,
  SnapshotIndex,
  trace as runTrace,
  TraceInputError,
  withFindingFixes,
} from '@hoplens/model';
import { loadSnapshot } from '../loadSnapshot.ts';
import { UsageError } from '../usageError.ts';

/** `hoplens trace SNAPSHOT.json --from HOST[/NETNS] --to IP [--size BYTES] [--df] [--json]`. */
export async function trace(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      size: { type: 'string' },
      df: { type: 'boolean' },
      json: { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (!values.from || !values.to) throw new UsageError('trace needs --from HOST[/NETNS] and --to IP');
  const snapshot = await loadSnapshot(positionals[0]);
  const index = new SnapshotIndex(snapshot);
  const from = netnsFrom(index, values.from);
  if (!snapshot.hosts.some((h) => h.name === from.host)) throw new UsageError(`no host "${from.host}" in the snapshot`);
  const size = values.size === undefined ? undefined : Number(values.size);
  if (size !== undefined && !/^\d+$/.test(values.size ?? ''))
    throw new UsageError(`--size must be a number of bytes, got "${values.size}"`);
  let result;
  try {
    result = withFindingFixes(runTrace(index, from, values.to, { size, df: values.df }), runRules(index));
  } catch (e) {
    if (e instanceof TraceInputError) throw new UsageError(e.message);
    throw e;
  }
  const out = {
    verdict: result.verdict,
    hops: result.hops.map(({ host, netns, interface: iface, component, action, verdict, reason, direction, fix }) => ({
      host,
      netns,
      interface: iface,
      component,
      action,
      verdict,
      reason,
      direction,
      ...(fix !== undefined ? { fix } : {}),
    })),
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  for (const h of out.hops) {
    const where = `${h.host}/${h.netns ?? '(root)'}${h.interface ? `/${h.interface}` : ''}`;
    process.stdout.write(
      `${h.direction.padEnd(7)} ${h.verdict.padEnd(7)} ${h.component.padEnd(14)} ${printable(`${where}: ${h.reason}`)}\n`,
    );
  }
  process.stdout.write(`verdict: ${out.verdict}\n`);
}
