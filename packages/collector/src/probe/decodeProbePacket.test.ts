import { describe, expect, it } from 'vitest';
import { probeFixture, recordedCaptures } from '../testing/probeFixtures.ts';
import { arpRequestTarget, decodeProbePacket } from './decodeProbePacket.ts';

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
});
