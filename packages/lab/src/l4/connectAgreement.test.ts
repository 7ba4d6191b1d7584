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

describe('the source an endpoint sees', () => {
  const hop = (direction: 'request' | 'reply', reason: string) =>
    ({
      direction,
      host: 'node-a',
      netns: 'na',
      interface: 'ens3',
      element: 'x',
      component: 'nat',
      action: 'forwarded',
      verdict: 'ok',
      reason,
    }) as const;
  const masq = hop('request', 'source 192.168.210.2 → 10.244.1.1 (MASQUERADE)');
  const unNat = hop('reply', "conntrack rewrites the reply's destination 10.244.1.1 → 192.168.210.2");

  it("is the client's own address unless a request's source NAT rewrites it", () => {
    const f = tracedFates(
      result('delivered', [
        { ...branch('10.244.1.3:8080', 'delivered'), hops: [masq, unNat] },
        { ...branch('10.244.2.2:8080', 'delivered'), hops: [unNat] },
      ]),
      undefined,
      '192.168.210.2',
    );
    expect(f.sources).toEqual(
      new Map([
        ['10.244.1.3', new Set(['10.244.1.1'])],
        ['10.244.2.2', new Set(['192.168.210.2'])],
      ]),
    );
  });

  it('disagrees where the kernel saw another source, and is not compared where the trace was given no client', () => {
    const traced = tracedFates(result('delivered'), undefined, '192.168.210.2');
    const seen = (s: string) => ({
      reached: new Set(['10.96.0.10']),
      failing: false,
      sources: new Map([['10.96.0.10', new Set([s])]]),
    });
    expect(sameFates(seen('192.168.210.2'), traced)).toBe(true);
    expect(sameFates(seen('192.168.210.1'), traced)).toBe(false);
    expect(sameFates(seen('192.168.210.1'), tracedFates(result('delivered')))).toBe(true);
  });
});
