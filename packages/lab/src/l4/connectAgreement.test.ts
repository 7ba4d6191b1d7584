import { describe, expect, it } from 'vitest';
import type { TraceBranch, TraceResult } from '@hoplens/model';
import { sameFates, tracedFates } from './connectAgreement.ts';

const result = (verdict: TraceResult['verdict'], branches?: TraceBranch[]): TraceResult => ({
  from: { host: 'node-a', netns: 'p2' },
  to: '10.96.0.10',
  verdict,
  hops: [],
  ...(branches === undefined ? {} : { branches }),
});
const branch = (label: string, verdict: TraceBranch['verdict']): TraceBranch => ({
  label,
  probability: 1 / 3,
  verdict,
  hops: [],
});

describe('connection fates', () => {
  it('takes the endpoints of the delivered branches and notes that another branch fails', () => {
    const f = tracedFates(
      result('dropped', [
        branch('10.244.1.3:8080', 'delivered'),
        branch('10.244.2.2:8080', 'delivered'),
        branch('no NAT', 'dropped'),
      ]),
    );
    expect([...f.reached]).toEqual(['10.244.1.3', '10.244.2.2']);
    expect(f.failing).toBe(true);
  });

  it('takes the destination itself for a trace without random choices', () => {
    expect(tracedFates(result('delivered'))).toEqual({ reached: new Set(['10.96.0.10']), failing: false });
    expect(tracedFates(result('dropped'))).toEqual({ reached: new Set(), failing: true });
  });

  it("takes the answer of the namespace the request ends in, a single-endpoint Service's DNAT target", () => {
    const end = { direction: 'request', host: 'node-a', netns: 'p2', interface: 'eth0', element: 'x' } as const;
    const hop = {
      ...end,
      component: 'local-delivery',
      action: 'delivered',
      verdict: 'ok',
      reason: 'listening',
    } as const;
    const traced = { ...result('delivered'), hops: [hop] };
    const answers = (netns: string): string | undefined => (netns === 'p2' ? '10.244.1.2' : undefined);
    expect(tracedFates(traced, answers)).toEqual({ reached: new Set(['10.244.1.2']), failing: false });
  });

  it('disagrees on a missing endpoint or on failures one side never sees', () => {
    const all = { reached: new Set(['a', 'b']), failing: false };
    expect(sameFates(all, { reached: new Set(['b', 'a']), failing: false })).toBe(true);
    expect(sameFates(all, { reached: new Set(['a']), failing: false })).toBe(false);
    expect(sameFates(all, { reached: new Set(['a', 'b']), failing: true })).toBe(false);
  });
});
