import { describe, expect, it } from 'vitest';
import { probeFixture, recordedCaptures } from '../testing/probeFixtures.ts';
import { arpRequestTarget, decodeProbePacket, ipv6Text } from './decodeProbePacket.ts';

describe('telling the probe packets from the rest of a capture', () => {
  it('reads echo requests on the path, plain and inside the VXLAN tunnel with its VNI', () => {
    const r = probeFixture('seed-broken').recording;
    const decoded = recordedCaptures(r).map((c) => decodeProbePacket(c.bytes, r.mark));
    expect(decoded.filter((d) => d?.kind === 'request').length).toBeGreaterThan(0);
    expect(decoded.some((d) => d?.vni === 555000)).toBe(true);
    expect(new Set(decoded.filter((d) => d).map((d) => d!.seq))).toEqual(new Set([1, 2]));
  });

  it("refuses a ping that shares the identifier but not the probe's payload pattern", () => {
    const r = probeFixture('seed-broken').recording;
    const frame = recordedCaptures(r).find((c) => decodeProbePacket(c.bytes, r.mark)?.vni === undefined)!.bytes;
    expect(decodeProbePacket(frame, { ...r.mark, pattern: 'ffeeddccbbaa9988' })).toBeNull();
    expect(decodeProbePacket(frame, { ...r.mark, icmpId: (r.mark.icmpId % 65535) + 1 })).toBeNull();
  });

  it('keeps the key that joins the later pieces of a fragmented reply to its first', () => {
    const r = probeFixture('seed-no-redirect-df').recording;
    const decoded = recordedCaptures(r).map((c) => decodeProbePacket(c.bytes, r.mark));
    const later = decoded.filter((d) => d && d.kind === null);
    expect(later.length).toBeGreaterThan(0);
    const firsts = new Set(decoded.filter((d) => d?.kind && d.fragmentKey).map((d) => d!.fragmentKey));
    expect(later.every((d) => firsts.has(d!.fragmentKey))).toBe(true);
  });

  it('reads the address an ARP request asks for', () => {
    const r = probeFixture('seed-remote-unknown-df').recording;
    const asked = recordedCaptures(r)
      .map((c) => arpRequestTarget(c.bytes))
      .filter((a) => a !== null);
    expect(asked).toContain('192.168.200.9');
  });

  it('reads the address an IPv6 neighbour solicitation asks for (a frame this kernel sent, captured by tcpdump)', () => {
    const ns = Buffer.from(
      '3333ff7281ebd2a5167281eb86dd6000000000203aff00000000000000000000000000000000ff0200000000000000000001ff7281eb' +
        '87007b9500000000fe80000000000000d0a516fffe7281eb0e0191f87c30f9fe',
      'hex',
    );
    expect(arpRequestTarget(new Uint8Array(ns))).toBe('fe80::d0a5:16ff:fe72:81eb');
    // An echo request is not a solicitation: ICMPv6 type 128 where 135 stands.
    const echo = Buffer.from(ns);
    echo[54] = 128;
    expect(arpRequestTarget(new Uint8Array(echo))).toBeNull();
  });

  it('writes IPv6 addresses as RFC 5952 does: the longest zero run as ::, a single zero group kept', () => {
    const bytes = (hex: string): Uint8Array => new Uint8Array(Buffer.from(hex, 'hex'));
    expect(ipv6Text(bytes('fd000132000200000000000000000046'))).toBe('fd00:132:2::46');
    expect(ipv6Text(bytes('20010db8000000010000000000000001'))).toBe('2001:db8:0:1::1');
    expect(ipv6Text(bytes('00000000000000000000000000000001'))).toBe('::1');
    expect(ipv6Text(bytes('20010db8000100020003000400050006'))).toBe('2001:db8:1:2:3:4:5:6');
  });
});
