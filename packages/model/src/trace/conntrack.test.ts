import { describe, expect, it } from 'vitest';
import { twoLinkRouter } from '../testing/twoLinkRouter.ts';
import { SnapshotIndex } from '../topology/snapshotIndex.ts';
import { Conntrack } from './conntrack.ts';
import { icmpEcho, type IpPacket, type Tcp } from './packet.ts';

const CLIENT = '10.244.1.2';
const SERVER = '10.250.0.1';

const tcp = (src: string, dst: string, sport: number, dport: number, flags: Tcp['flags']): IpPacket => ({
  kind: 'ip',
  src,
  dst,
  l4: { proto: 'tcp', sport, dport, flags },
  size: 60,
  df: true,
  ct: 'new',
  mark: 0,
});

/** The node namespace of the two-link router, where conntrack is asked. */
function node() {
  const t = twoLinkRouter();
  return new SnapshotIndex(t.b.snapshot()).netns(t.node.ref)!;
}

describe('conntrack state of a packet entering a namespace', () => {
  it('calls a SYN-ACK or a RST whose SYN it never saw INVALID, as tcp_new refuses them', () => {
    const ns = node();
    const ct = new Conntrack();
    expect(ct.stateOf(ns, tcp(SERVER, CLIENT, 80, 40000, ['syn', 'ack']))).toBe('invalid');
    expect(ct.stateOf(ns, tcp(SERVER, CLIENT, 80, 40000, ['rst']))).toBe('invalid');
  });

  it('opens a connection with a SYN and picks a plain ACK up mid-stream', () => {
    const ns = node();
    const ct = new Conntrack();
    expect(ct.stateOf(ns, tcp(CLIENT, SERVER, 40000, 80, ['syn']))).toBe('new');
    expect(ct.stateOf(ns, tcp(CLIENT, SERVER, 40000, 80, ['ack']))).toBe('new');
  });

  it('finds the SYN-ACK of a SYN it tracked ESTABLISHED', () => {
    const ns = node();
    const ct = new Conntrack();
    ct.track(ns, tcp(CLIENT, SERVER, 40000, 80, ['syn']));
    expect(ct.stateOf(ns, tcp(SERVER, CLIENT, 80, 40000, ['syn', 'ack']))).toBe('established');
  });

  it('calls an echo reply nobody asked for INVALID, and the reply to a tracked request ESTABLISHED', () => {
    const ns = node();
    const ct = new Conntrack();
    const reply = icmpEcho({ src: SERVER, dst: CLIENT, type: 'echo-reply' });
    expect(ct.stateOf(ns, reply)).toBe('invalid');
    ct.track(ns, icmpEcho({ src: CLIENT, dst: SERVER, type: 'echo-request' }));
    expect(ct.stateOf(ns, reply)).toBe('established');
  });
});
