import { describe, expect, it } from 'vitest';
import type { ListeningSocket } from '../schema/sockets.ts';
import { twoLinkRouter } from '../testing/twoLinkRouter.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { trace } from './trace.ts';

const udp = (address: string): ListeningSocket => ({ proto: 'udp', family: 'inet', address, port: 5353 });

/** The gateway holds 10.250.0.1 on lo and answers the pod by ens3, whose address is 192.168.50.2. */
function ask(socket: ListeningSocket, to: string, proto: 'udp' | 'tcp' = 'udp') {
  const t = twoLinkRouter();
  t.gw.ns.listening = { sockets: [socket, { ...socket, proto: 'tcp' }] };
  return trace(new SnapshotIndex(t.b.snapshot()), t.pod.ref, to, { proto, port: 5353 });
}

describe('the source a UDP server answers from', () => {
  it('is in doubt where a socket on every address is asked at one its route back does not pick', () => {
    const r = ask(udp('0.0.0.0'), '10.250.0.1');
    expect(r.verdict).toBe('unknown');
    const doubt = r.hops.find((h) => h.verdict === 'unknown')!;
    expect(doubt).toMatchObject({ direction: 'reply', host: 'gw', component: 'local-delivery' });
    expect(doubt.reason).toBe(
      'the socket listening on 0.0.0.0:5353/udp in gw/gw answers from 10.250.0.1 only if the server replies from the ' +
        "address it was asked at (IP_PKTINFO, as DNS servers do); otherwise from 192.168.50.2, its route's source, " +
        "which the client's socket does not take: which the server does is not known",
    );
    // The reply is walked all the same, from the address it was asked at.
    expect(r.hops.at(-1)).toMatchObject({ direction: 'reply', component: 'local-delivery', verdict: 'ok' });
  });

  it('is not in doubt for a socket bound to the address, an address the route picks anyway, or TCP', () => {
    expect(ask(udp('10.250.0.1'), '10.250.0.1').verdict).toBe('delivered');
    expect(ask(udp('0.0.0.0'), '192.168.50.2').verdict).toBe('delivered');
    expect(ask(udp('0.0.0.0'), '10.250.0.1', 'tcp').verdict).toBe('delivered');
  });
});
