import { parseArgs } from 'node:util';
import {
  isDropHop,
  netnsFrom,
  printable,
  runRules,
  SnapshotIndex,
  trace as runTrace,
  TraceInputError,
  traceStop,
  withFindingFixes,
} from '@hoplens/model';
import { loadSnapshot } from '../loadSnapshot.ts';
import { UsageError } from '../usageError.ts';

/**
 * `hoplens trace SNAPSHOT.json --from HOST[/NETNS] --to IP|NAMESPACE/SERVICE[:PORT] [--proto icmp|tcp|udp --port N]
 * [--size BYTES] [--df] [--json]`. A Service is found in kube-proxy's rules (its ClusterIP, protocol
 * and port). Where the path picks one of several endpoints at random, every branch is printed.
 */
export async function trace(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      size: { type: 'string' },
      df: { type: 'boolean' },
      proto: { type: 'string' },
      port: { type: 'string' },
      json: { type: 'boolean' },
    },
    allowPositionals: true,
    strict: true,
  });
  if (!values.from || !values.to)
    throw new UsageError('trace needs --from HOST[/NETNS] and --to IP or NAMESPACE/SERVICE[:PORT]');
  const snapshot = await loadSnapshot(positionals[0]);
  const index = new SnapshotIndex(snapshot);
  const from = netnsFrom(index, values.from);
  if (!snapshot.hosts.some((h) => h.name === from.host)) throw new UsageError(`no host "${from.host}" in the snapshot`);
  const size = values.size === undefined ? undefined : Number(values.size);
  if (size !== undefined && !/^\d+$/.test(values.size ?? ''))
    throw new UsageError(`--size must be a number of bytes, got "${values.size}"`);
  const proto = values.proto;
  if (proto !== undefined && proto !== 'icmp' && proto !== 'tcp' && proto !== 'udp')
    throw new UsageError(`--proto must be icmp, tcp or udp, got "${proto}"`);
  if (values.port !== undefined && !/^\d{1,5}$/.test(values.port))
    throw new UsageError(`--port must be a port number, got "${values.port}"`);
  const port = values.port === undefined ? undefined : Number(values.port);
  let result;
  try {
    result = withFindingFixes(runTrace(index, from, values.to, { size, df: values.df, proto, port }), runRules(index));
  } catch (e) {
    if (e instanceof TraceInputError) throw new UsageError(e.message);
    throw e;
  }
  const hops = (list: typeof result.hops) =>
    list.map(({ host, netns, interface: iface, component, action, verdict, reason, direction, fix }) => ({
      host,
      netns,
      interface: iface,
      component,
      action,
      verdict,
      reason,
      direction,
      ...(fix !== undefined ? { fix } : {}),
    }));
  const out = {
    ...(result.service === undefined
      ? {}
      : { service: result.service, to: result.to, proto: result.proto, port: result.port }),
    verdict: result.verdict,
    hops: hops(result.hops),
    ...(result.branches
      ? {
          summary: result.summary,
          branches: result.branches.map((b) => ({ ...b, hops: hops(b.hops) })),
        }
      : {}),
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return;
  }
  const whereOf = (h: (typeof out.hops)[number]): string =>
    `${h.host}/${h.netns ?? '(root)'}${h.interface ? `/${h.interface}` : ''}`;
  const print = (t: { verdict: typeof out.verdict; hops: typeof out.hops }): void => {
    for (const h of t.hops) {
      process.stdout.write(
        `${h.direction.padEnd(7)} ${h.verdict.padEnd(7)} ${h.component.padEnd(14)} ${printable(`${whereOf(h)}: ${h.reason}`)}\n`,
      );
    }
    // Only a drop is said as one: a walk stops where it cannot tell what the kernel does, too.
    const stop = traceStop(t);
    if (stop)
      process.stdout.write(
        `${isDropHop(stop.hop) ? 'dropped' : 'cannot tell'} at hop ${stop.n}: ${printable(`${whereOf(stop.hop)} (${stop.hop.component})`)}\n`,
      );
  };
  if (out.service !== undefined)
    process.stdout.write(
      `${printable(`Service ${out.service}: ${out.to} ${out.proto ?? ''} port ${out.port ?? ''}`)}\n`,
    );
  if (!out.branches) print(out);
  for (const b of out.branches ?? []) {
    process.stdout.write(`branch ${printable(b.label)} (probability ${b.probability.toFixed(3)}): ${b.verdict}\n`);
    print(b);
  }
  if (out.summary) process.stdout.write(`${printable(out.summary)}\n`);
  process.stdout.write(`verdict: ${out.verdict}\n`);
}
