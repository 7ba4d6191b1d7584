import type { KernelDrop, KernelObservation, PingResult, ProbeObservation } from '../schema/probe.ts';
import { mergeDrops } from './mergeDrops.ts';

/**
 * One observation from the parts several machines saw: packets, watched interfaces, counters and
 * limits side by side; the kernel's drops together where any machine could trace, each free once
 * (parts on one kernel all see it: `mergeDrops`), and each machine that could not says so in the
 * limits. Whether a drop lost its echo is ping's to say: a part that only watched never knew.
 */
export function mergeObservations(parts: readonly ProbeObservation[]): ProbeObservation {
  const traced = parts.filter((p) => p.kernel.available);
  const perPart: KernelDrop[][] = [];
  let events = 0;
  let lost = 0;
  for (const p of traced) {
    if (!p.kernel.available) continue;
    perPart.push(p.kernel.drops);
    events += p.kernel.events;
    lost += p.kernel.lost;
  }
  const ping = parts.find((p) => p.ping)?.ping;
  const drops = mergeDrops(perPart).map((d) => (ping ? { ...d, lostEcho: lostEcho(ping, d) } : d));
  const why = parts.map((p) => (p.kernel.available ? undefined : p.kernel.why)).filter((w) => w !== undefined);
  const kernel: KernelObservation =
    traced.length > 0 ? { available: true, events, lost, drops } : { available: false, why: why[0] ?? 'not traced' };
  return {
    ...(ping ? { ping } : {}),
    packets: parts.flatMap((p) => p.packets),
    watched: parts.flatMap((p) => p.watched),
    kernel,
    counters: parts.flatMap((p) => p.counters),
    limits: parts.flatMap((p) => p.limits),
  };
}

function lostEcho(ping: PingResult, d: KernelDrop): boolean {
  if (d.attribution === 'send-error') return d.lostEcho;
  return d.seq === null ? ping.received < ping.transmitted : !ping.answered.includes(d.seq);
}
