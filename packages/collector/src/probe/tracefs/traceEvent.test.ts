import { describe, expect, it } from 'vitest';
import { probeFixture } from '../../testing/probeFixtures.ts';
import { parseEventFormat } from './eventFormat.ts';
import { parseTraceLine } from './traceEvent.ts';

const recording = probeFixture('seed-underlay-down').recording;
const formats = new Map(Object.entries(recording.formats).map(([k, v]) => [k, parseEventFormat(v)]));

describe('tracefs events as this kernel prints them', () => {
  it("reads drop reasons from the kfree_skb format's own table, not from hoplens", () => {
    const kfree = formats.get('kfree_skb')!;
    expect(kfree.fields).toEqual(['skbaddr', 'location', 'rx_sk', 'protocol', 'reason']);
    const reasons = kfree.symbols.get('reason')!;
    expect(reasons.get(13)).toBe('OTHERHOST');
    expect([...reasons.values()]).toEqual(expect.arrayContaining(['NEIGH_FAILED', 'VXLAN_VNI_NOT_FOUND', 'NO_SOCKET']));
  });

  it('decodes a drop printed with the fields option: address, reason by number, kernel location', () => {
    const line =
      '            ping-20054   [000] .Ns1.  9097.215858: kfree_skb: skbaddr=0xffff888333877000 (-131377890103296) location=ip_rcv_core+0x22c/0x350 (-2113970116) rx_sk=0x0 (0) protocol=0x800 (2048) reason=0xd (13)';
    expect(parseTraceLine(line, formats)).toEqual({
      event: 'kfree_skb',
      tsNs: 9097215858000n,
      cpu: 0,
      pid: 20054,
      inTask: false,
      skbaddr: 'ffff888333877000',
      location: 'ip_rcv_core+0x22c/0x350',
      protocol: 2048,
      reasonCode: 13,
      reason: 'OTHERHOST',
    });
  });

  it('decodes every drop of a recorded trace to a reason this kernel names', () => {
    const frees = recording.trace
      .split('\n')
      .map((l) => parseTraceLine(l, formats))
      .filter((e) => e?.event === 'kfree_skb');
    expect(frees.length).toBeGreaterThan(0);
    expect(frees.every((e) => e!.reason && !e!.reason.startsWith('reason '))).toBe(true);
  });

  it('reads a failed neighbour: its device, its state and the address it was for', () => {
    const line = recording.trace.split('\n').find((l) => l.includes('neigh_timer_handler:'))!;
    const e = parseTraceLine(line, formats)!;
    expect(e).toMatchObject({ event: 'neigh_timer_handler', nudState: 0x20, skbaddr: '' });
    expect(e.device).toMatch(/^\S+$/);
    expect(e.neighbor).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });

  it('reads an IPv6 neighbour by its family, never as the zeroed IPv4 key', () => {
    const line = recording.trace.split('\n').find((l) => l.includes('neigh_timer_handler:'))!;
    const v6 = line
      .replace('family=0x2 (2)', 'family=0xa (10)')
      .replace(/primary_key4=0x[0-9a-f]+ \(-?\d+\)/, 'primary_key4=0x0 (0)');
    const e = parseTraceLine(v6, formats)!;
    expect(e).toMatchObject({ event: 'neigh_timer_handler', family: 10 });
    expect(e.neighbor).toBeUndefined();
    expect(parseTraceLine(line, formats)).toMatchObject({ family: 2 });
  });

  it('reads the default print of kernels without the fields option', () => {
    const line =
      '            bash-11451   [000] ..s1.  2147.943804: kfree_skb: skbaddr=00000000d9319750 rx_sk=0000000000000000 protocol=2048 location=__udp4_lib_rcv+0x4bc/0xd00 reason: NO_SOCKET';
    expect(parseTraceLine(line, formats)).toMatchObject({
      reason: 'NO_SOCKET',
      location: '__udp4_lib_rcv+0x4bc/0xd00',
      protocol: 2048,
      skbaddr: 'd9319750',
    });
  });

  it('keeps a device name with = in it whole, and ignores lines of other events', () => {
    const line =
      '          <idle>-0       [001] ..s1.  10.000001: netif_receive_skb: skbaddr=0xffff1 (1) len=0x54 (84) name=a=b';
    expect(parseTraceLine(line, formats)).toMatchObject({ device: 'a=b', len: 84 });
    expect(parseTraceLine('  x-1 [000] ..... 1.000000: sched_switch: prev=a', formats)).toBeNull();
  });
});
