import { describe, expect, it } from 'vitest';
import type { ListeningSocket } from '../../schema/sockets.ts';
import { serviceCluster } from '../../testing/serviceCluster.ts';
import { twoLinkRouter } from '../../testing/twoLinkRouter.ts';
import { SnapshotIndex } from '../../topology/snapshotIndex.ts';
import { parseIp } from '../../net/ip.ts';
import { trace } from '../trace.ts';
import { traceStop } from '../traceStop.ts';
import { takes } from '../../net/socketTakes.ts';

const tcp = (address: string, port: number, more: Partial<ListeningSocket> = {}): ListeningSocket => ({
  proto: 'tcp',
  family: address.includes(':') ? 'inet6' : 'inet',
  address,
  port,
  ...more,
});

describe('the listener a TCP SYN or UDP datagram is delivered to', () => {
  it('names the socket that takes the SYN', () => {
    const t = twoLinkRouter();
    t.gw.ns.listening = { sockets: [tcp('0.0.0.0', 8080)] };
    const result = trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, '10.250.0.1', { proto: 'tcp', port: 8080 });
    expect(result.verdict).toBe('delivered');
    const hop = result.hops.find((h) => h.host === 'gw' && h.component === 'local-delivery')!;
    expect(hop.reason).toContain('to the socket listening on tcp 0.0.0.0:8080');
  });

  it('refuses a TCP connection nothing listens for, as the kernel answers it with a RST', () => {
    const t = twoLinkRouter();
    t.gw.ns.listening = { sockets: [tcp('0.0.0.0', 8080), { ...tcp('0.0.0.0', 9090), proto: 'udp' }] };
    const result = trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, '10.250.0.1', { proto: 'tcp', port: 9090 });
    expect(result.verdict).toBe('dropped');
    expect(result.hops.at(-1)).toMatchObject({
      host: 'gw',
      component: 'local-delivery',
      verdict: 'dropped',
      dropReason: 'NO_SOCKET',
      reason:
        'connection refused: nothing listens on 10.250.0.1:9090/tcp in gw/gw (the kernel answers the SYN with a TCP RST)',
    });
    expect(result.hops.every((h) => h.direction === 'request')).toBe(true);
  });

  it('answers a UDP datagram nothing listens for with ICMP port unreachable', () => {
    const t = twoLinkRouter();
    t.gw.ns.listening = { sockets: [tcp('0.0.0.0', 53)] };
    const result = trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, '10.250.0.1', { proto: 'udp', port: 53 });
    expect(result.verdict).toBe('dropped');
    expect(result.hops.at(-1)!.reason).toBe(
      'port unreachable: nothing listens on 10.250.0.1:53/udp in gw/gw (the kernel answers ICMP port unreachable)',
    );
  });

  it('cannot tell, and says why, where the sockets were not collected or the list was cut short; the reply is still walked', () => {
    const t = twoLinkRouter();
    const ask = (): string => {
      const result = trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, '10.250.0.1', { proto: 'tcp', port: 80 });
      // Never delivered: the SYN reaches the namespace, but a RST may answer it.
      expect(result.verdict).toBe('unknown');
      const stop = traceStop(result)!;
      expect(stop.hop).toMatchObject({
        host: 'gw',
        component: 'local-delivery',
        action: 'delivered',
        verdict: 'unknown',
      });
      // What the network does to the answer is known either way: it is walked back to the pod.
      expect(result.hops.filter((h) => h.direction === 'reply').at(-1)).toMatchObject({
        component: 'local-delivery',
        verdict: 'ok',
      });
      return stop.hop.reason;
    };
    expect(ask()).toContain(
      'listening sockets not collected: whether anything listens on 10.250.0.1:80/tcp is not known',
    );
    t.gw.ns.listening = { sockets: [tcp('0.0.0.0', 22)], truncated: true };
    expect(ask()).toContain('only the first 1 listening sockets were collected');
    // The socket known: delivered. Not known, with the answer lost on the way back: that drop is known.
    t.gw.ns.listening = { sockets: [tcp('0.0.0.0', 80)] };
    const known = trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, '10.250.0.1', { proto: 'tcp', port: 80 });
    expect(known.verdict).toBe('delivered');
    delete t.gw.ns.listening;
    t.gw.ns.routes = t.gw.ns.routes.filter((r) => r.dst !== '10.244.1.0/24');
    const lost = trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, '10.250.0.1', { proto: 'tcp', port: 80 });
    expect(lost.verdict).toBe('dropped');
    expect(traceStop(lost)!.hop).toMatchObject({ direction: 'reply', host: 'gw', verdict: 'dropped' });
  });

  it('leaves a ping alone', () => {
    const t = twoLinkRouter();
    t.gw.ns.listening = { sockets: [] };
    expect(trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, '10.250.0.1').verdict).toBe('delivered');
  });

  it('refuses a connection to a namespace own address when nothing listens there', () => {
    const t = twoLinkRouter();
    t.gw.ns.listening = { sockets: [tcp('127.0.0.1', 8080)] };
    const result = trace(new SnapshotIndex(t.b.snapshot()), t.gw.ref, '10.250.0.1', { proto: 'tcp', port: 8080 });
    expect(result.verdict).toBe('dropped');
    expect(result.hops.at(-1)!.dropReason).toBe('NO_SOCKET');
  });

  it('traces each endpoint of a Service to its own listener, refusing the one whose server is not running', () => {
    const c = serviceCluster();
    const [first, second, third] = c.endpoints;
    first!.ns.listening = { sockets: [tcp('0.0.0.0', 80)] };
    second!.ns.listening = { sockets: [tcp('::', 80, { v6only: false })] };
    third!.ns.listening = { sockets: [tcp('0.0.0.0', 8080)] };
    const result = trace(new SnapshotIndex(c.b.snapshot()), c.client.ref, '10.96.0.10', { proto: 'tcp', port: 80 });
    expect(result.branches!.map((b) => [b.label, b.verdict])).toEqual([
      ['10.244.2.5:80', 'delivered'],
      ['10.244.2.9:80', 'delivered'],
      ['10.244.2.13:80', 'dropped'],
    ]);
    expect(result.summary).toContain('10.244.2.13:80 dropped at nb/ep2/eth0 (local-delivery)');
  });
});

describe('which socket takes a packet', () => {
  const v4 = parseIp('10.0.0.5')!;
  const v6 = parseIp('fd00::5')!;

  it('matches its own address or its family wildcard', () => {
    expect(takes(tcp('10.0.0.5', 80), v4, 'eth0')).toBe(true);
    expect(takes(tcp('10.0.0.6', 80), v4, 'eth0')).toBe(false);
    expect(takes(tcp('0.0.0.0', 80), v6, 'eth0')).toBe(false);
    expect(takes(tcp('::', 80, { v6only: true }), v6, 'eth0')).toBe(true);
    expect(takes(tcp('fd00:0:0::5', 80), v6, 'eth0')).toBe(true);
  });

  it('takes IPv4 on a dual-stack IPv6 socket only, as v4-mapped', () => {
    expect(takes(tcp('::', 80, { v6only: false }), v4, 'eth0')).toBe(true);
    expect(takes(tcp('::', 80, { v6only: true }), v4, 'eth0')).toBe(false);
    expect(takes(tcp('::ffff:10.0.0.5', 80, { v6only: false }), v4, 'eth0')).toBe(true);
    expect(takes(tcp('::ffff:10.0.0.6', 80, { v6only: false }), v4, 'eth0')).toBe(false);
  });

  it('takes on a socket bound to a device only what arrives there', () => {
    expect(takes(tcp('0.0.0.0', 80, { dev: 'eth1' }), v4, 'eth0')).toBe(false);
    expect(takes(tcp('0.0.0.0', 80, { dev: 'eth0' }), v4, 'eth0')).toBe(true);
  });
});
