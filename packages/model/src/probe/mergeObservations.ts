import type { KernelDrop, KernelObservation, ProbeObservation } from '../schema/probe.ts';

/**
 * One observation from the parts several machines saw: packets, watched interfaces, counters and
 * limits side by side; the kernel's drops together where any machine could trace, and each machine
 * that could not says so in the limits.
 */
export function mergeObservations(parts: readonly ProbeObservation[]): ProbeObservation {
  const traced = parts.filter((p) => p.kernel.available);
  const drops: KernelDrop[] = [];
  let events = 0;
  let lost = 0;
  for (const p of traced) {
    if (!p.kernel.available) continue;
    drops.push(...p.kernel.drops);
    events += p.kernel.events;
    lost += p.kernel.lost;
  }
  const why = parts.map((p) => (p.kernel.available ? undefined : p.kernel.why)).filter((w) => w !== undefined);
  const kernel: KernelObservation =
    traced.length > 0 ? { available: true, events, lost, drops } : { available: false, why: why[0] ?? 'not traced' };
  const ping = parts.find((p) => p.ping)?.ping;
  return {
    ...(ping ? { ping } : {}),
    packets: parts.flatMap((p) => p.packets),
    watched: parts.flatMap((p) => p.watched),
    kernel,
    counters: parts.flatMap((p) => p.counters),
    limits: parts.flatMap((p) => p.limits),
  };
}
