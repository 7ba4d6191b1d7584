import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  compareProbe,
  type OffPathTarget,
  type ProbeObservation,
  type ProbeSend,
  type TraceResult,
} from '@hoplens/model';
import { printProbe } from './printProbe.ts';

const recorded = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../packages/model/fixtures/probe/${name}.json`, import.meta.url), 'utf8')) as {
    send: ProbeSend;
    predicted: TraceResult;
    offPath: OffPathTarget[];
    observation: ProbeObservation;
  };

describe('hoplens probe as text', () => {
  it('puts predicted and observed side by side, with the kernel drop on its hop and the agreement', () => {
    const f = recorded('seed-broken');
    const text = printProbe(
      compareProbe({ id: 'x'.repeat(22), snapshotId: null, createdAt: '', mark: { icmpId: 7, pattern: '68' }, ...f }),
    );
    expect(text).toMatch(/^ping: 0 of 2 answered$/m);
    expect(text).toMatch(
      /request dropped +l2-receive +podvm\/hl-prbf-podns\/vxlan0 +seen -+ +DROPPED here: OTHERHOST \(ip_rcv_core/,
    );
    expect(text).toMatch(/^counters: podvm\/hl-prbf-podns\/vxlan0 rx_otherhost_dropped \+\d+/m);
    expect(text).toMatch(/the kernel AGREES with the trace; drop site: at the predicted hop/);
  });
});
