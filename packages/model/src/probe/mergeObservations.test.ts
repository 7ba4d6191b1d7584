import { describe, expect, it } from 'vitest';
import type { KernelDrop, ProbeObservation } from '../schema/probe.ts';
import { mergeObservations } from './mergeObservations.ts';

const flooded: KernelDrop = {
  reason: 'OTHERHOST',
  reasonCode: 13,
  location: 'ip_rcv_core+0x22c/0x350',
  packet: 'request',
  seq: 1,
  site: { host: 'node-b', netns: 'p3', interface: 'eth0', stage: 'receive' },
  attribution: 'skb',
  // A part that only watched knows no answers: it takes every echo for lost.
  lostEcho: true,
};
const part = (o: Partial<ProbeObservation>): ProbeObservation => ({
  packets: [],
  watched: [],
  kernel: { available: true, events: 10, lost: 0, drops: [] },
  counters: [],
  limits: [],
  ...o,
});

describe('merging the observations of the parts of one probe', () => {
  it("takes ping's answers for whether a watcher's drop lost the echo: a flooded copy of an answered one did not", () => {
    const ping = { transmitted: 2, received: 1, answered: [1], errors: [], exitCode: 1, output: '' };
    const watcher = part({ kernel: { available: true, events: 5, lost: 0, drops: [flooded, { ...flooded, seq: 2 }] } });
    const merged = mergeObservations([part({ ping }), watcher]);
    expect(merged.kernel).toMatchObject({ available: true, events: 15 });
    expect(merged.kernel.available && merged.kernel.drops.map((d) => [d.seq, d.lostEcho])).toEqual([
      [1, false],
      [2, true],
    ]);
  });
});
