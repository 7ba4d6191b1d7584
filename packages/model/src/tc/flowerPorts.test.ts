import { describe, expect, it } from 'vitest';
import type { FlowerClassifier } from '../schema/tcClassifier.ts';
import type { Frame, Tcp } from '../trace/packet.ts';
import { flowerMatches } from './flower.ts';

/** A TCP segment from the pod to a server's 8080, or its reply: the pod's port picked by the kernel. */
const segment = (l4: Tcp): Frame => ({
  srcMac: '02:00:00:00:00:01',
  dstMac: '02:00:00:00:00:02',
  packet: { kind: 'ip', src: '10.244.1.2', dst: '10.250.0.1', l4, size: 60, df: true, ct: 'new', mark: 0 },
});
const EPHEMERAL = { start: 32768, end: 60999 };
const request = (known = true): Frame =>
  segment({ proto: 'tcp', sport: undefined, dport: 8080, ...(known ? { sportRange: EPHEMERAL } : {}), flags: ['syn'] });
const reply = (known = true): Frame =>
  segment({
    proto: 'tcp',
    sport: 8080,
    dport: undefined,
    ...(known ? { dportRange: EPHEMERAL } : {}),
    flags: ['syn', 'ack'],
  });
const flower = (keys: Partial<FlowerClassifier>): FlowerClassifier => ({
  kind: 'flower',
  ethType: 0x0800,
  ipProto: 6,
  unsupported: [],
  ...keys,
});
const dev = { name: 'eth0', ingress: true };

describe('flower port keys on a port the kernel picks', () => {
  it('never takes a reply to a picked port for a miss: unknown without its range', () => {
    // Before: a destination port key on a reply's unknown port was a confident "no match".
    const key = flower({ dstPort: { value: 40000, mask: 0xffff } });
    expect(flowerMatches(key, reply(false), dev)).toEqual({ unknown: 'the destination port is chosen by the kernel' });
    expect(flowerMatches(key, reply(), dev)).toEqual({
      unknown: 'the destination port is one the kernel picks from 32768-60999, of which only some match',
    });
  });

  it('tells a key outside the range, or covering it, from the range alone', () => {
    expect(flowerMatches(flower({ dstPort: { value: 8080, mask: 0xffff } }), reply(), dev)).toBe(false);
    expect(flowerMatches(flower({ dstPortRange: { start: 1024, end: 65535 } }), reply(), dev)).toBe(true);
    expect(flowerMatches(flower({ srcPortRange: { start: 1, end: 1023 } }), request(), dev)).toBe(false);
    // 0x8000/0x8000: every port from 32768 on, a mask of leading bits.
    expect(flowerMatches(flower({ srcPort: { value: 0x8000, mask: 0x8000 } }), request(), dev)).toBe(true);
    // A mask that is not leading bits: inside its hull is not enough to tell.
    expect(flowerMatches(flower({ srcPort: { value: 0x8000, mask: 0x8001 } }), request(), dev)).toMatchObject({
      unknown: expect.stringContaining('of which only some match'),
    });
  });

  it('still reads known ports as they are, and ICMP meets no port key', () => {
    expect(flowerMatches(flower({ dstPort: { value: 8080, mask: 0xffff } }), request(), dev)).toBe(true);
    expect(flowerMatches(flower({ srcPort: { value: 8080, mask: 0xffff } }), reply(false), dev)).toBe(true);
    const ping: Frame = {
      ...request(),
      packet: {
        kind: 'ip',
        src: '10.244.1.2',
        dst: '10.250.0.1',
        l4: { proto: 'icmp', type: 'echo-request' },
        size: 84,
        df: false,
        ct: 'new',
        mark: 0,
      },
    };
    // A key on ports without ip_proto (tc refuses it; a hostile dump may not): ICMP has no ports to meet.
    const anyProto = (({ ipProto: _gone, ...rest }: FlowerClassifier) => rest)(
      flower({ dstPort: { value: 80, mask: 0xffff } }),
    );
    expect(flowerMatches(anyProto, ping, dev)).toBe(false);
  });
});
