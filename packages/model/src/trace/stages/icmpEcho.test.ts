import { describe, expect, it } from 'vitest';
import { twoLinkRouter } from '../../testing/twoLinkRouter.ts';
import { SnapshotIndex } from '../../topology/snapshotIndex.ts';
import { trace } from '../trace.ts';

describe('ICMP echo at the destination', () => {
  it('ends a ping at a namespace that ignores echo requests, after the request arrived', () => {
    const t = twoLinkRouter();
    t.gw.ns.sysctls!.icmpEchoIgnoreAll = 1;
    const result = trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, '10.250.0.1');
    expect(result.verdict).toBe('dropped');
    const stop = result.hops.at(-1)!;
    expect(stop).toMatchObject({ host: 'gw', component: 'local-delivery', verdict: 'dropped' });
    expect(stop.reason).toContain('net.ipv4.icmp_echo_ignore_all=1');
    expect(stop.dropReason).toBeUndefined();
  });

  it('answers a ping to its own address unless told to ignore it', () => {
    const t = twoLinkRouter();
    expect(trace(new SnapshotIndex(t.b.snapshot()), t.gw.ref, '10.250.0.1').verdict).toBe('delivered');
    t.gw.ns.sysctls!.icmpEchoIgnoreAll = 1;
    expect(trace(new SnapshotIndex(t.b.snapshot()), t.gw.ref, '10.250.0.1').verdict).toBe('dropped');
  });

  it('cannot tell where the echo setting was not collected: the hop and the trace are unknown, the reply still walked', () => {
    for (const drop of ['sysctls', 'icmpEchoIgnoreAll'] as const) {
      const t = twoLinkRouter();
      if (drop === 'sysctls') delete t.gw.ns.sysctls;
      else delete t.gw.ns.sysctls![drop];
      const result = trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, '10.250.0.1');
      expect(result.verdict).toBe('unknown');
      const hop = result.hops.find((h) => h.host === 'gw' && h.component === 'local-delivery')!;
      expect(hop).toMatchObject({ action: 'delivered', verdict: 'unknown' });
      expect(hop.reason).toContain('net.ipv4.icmp_echo_ignore_all not collected');
      expect(result.hops.some((h) => h.direction === 'reply')).toBe(true);
    }
    // The namespace's ping to its own address (delivered over lo) asks the same setting.
    const t = twoLinkRouter();
    delete t.gw.ns.sysctls!.icmpEchoIgnoreAll;
    const own = trace(new SnapshotIndex(t.b.snapshot()), t.gw.ref, '10.250.0.1');
    expect(own.verdict).toBe('unknown');
    expect(own.hops.find((h) => h.component === 'local-delivery')?.reason).toContain(
      'icmp_echo_ignore_all not collected',
    );
  });
});
