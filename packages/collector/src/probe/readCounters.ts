import type { CounterDelta, LinkStats } from '@hoplens/model';
import { collectNetlink } from '../netlink/collectNetlink.ts';
import type { NetnsJob } from '../netlink/netnsJob.ts';
import { helperBinary } from '../netlink/helperBinary.ts';
import type { ResolvedTarget } from './resolvedTarget.ts';

/** Each target's counters, by its index; absent where they could not be read. */
export type CounterReading = Map<number, LinkStats>;

/** Reads the counters of the targets' interfaces, one netlink helper run for all their namespaces. */
export async function readCounters(targets: readonly ResolvedTarget[]): Promise<CounterReading> {
  const files = [...new Set(targets.map((t) => t.file))];
  const jobs: NetnsJob[] = files.map((f) =>
    f === '-' ? { name: null, root: true } : { name: f, root: false, path: f },
  );
  const reading: CounterReading = new Map();
  const results = await collectNetlink(await helperBinary(), jobs, 10_000);
  targets.forEach((t, i) => {
    const r = results[files.indexOf(t.file)];
    if (!r || 'error' in r) return;
    const stats = r.links.find((l) => l.link.name === t.target.interface)?.link.stats;
    if (stats) reading.set(i, stats);
  });
  return reading;
}

/** How each interface's counters moved between two readings. */
export function counterDeltas(
  targets: readonly ResolvedTarget[],
  before: CounterReading,
  after: CounterReading,
): CounterDelta[] {
  const out: CounterDelta[] = [];
  targets.forEach((t, i) => {
    const a = before.get(i);
    const b = after.get(i);
    if (!a || !b) return;
    const other =
      a.rxOtherhostDropped !== undefined && b.rxOtherhostDropped !== undefined
        ? { rxOtherhostDropped: b.rxOtherhostDropped - a.rxOtherhostDropped }
        : {};
    out.push({
      host: t.target.host,
      netns: t.target.netns,
      interface: t.target.interface,
      rxPackets: b.rxPackets - a.rxPackets,
      txPackets: b.txPackets - a.txPackets,
      rxDropped: b.rxDropped - a.rxDropped,
      txDropped: b.txDropped - a.txDropped,
      ...other,
    });
  });
  return out;
}
