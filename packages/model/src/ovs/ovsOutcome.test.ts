import { describe, expect, it } from 'vitest';
import { ovsTraceText } from '../testing/ovnFixtures.ts';
import { BROADCAST_MAC, icmpEcho, type Frame } from '../trace/packet.ts';
import { ovsVerdict } from './ovsOutcome.ts';

const icmp: Frame = {
  srcMac: '0a:58:0a:84:02:02',
  dstMac: '0a:58:0a:84:02:2e',
  packet: icmpEcho({ src: '10.132.2.2', dst: '10.132.2.46', type: 'echo-request' }),
};
const arp: Frame = {
  srcMac: '0a:58:0a:84:02:02',
  dstMac: BROADCAST_MAC,
  packet: { kind: 'arp', src: '10.132.2.2', dst: '10.132.2.46' },
};

describe('ovsVerdict', () => {
  it('reads an ARP request the switch answers itself as the answer, with the MAC it gave', () => {
    expect(ovsVerdict(ovsTraceText('arp-responder'), arp).outcome).toEqual({
      kind: 'arp-reply',
      dpPort: 2,
      mac: '0a:58:0a:84:02:2e',
    });
  });

  it('sends the frame out of the datapath port the actions name', () => {
    expect(ovsVerdict(ovsTraceText('output'), icmp).outcome).toEqual({
      kind: 'outputs',
      outputs: [{ dpPort: 4, frame: icmp }],
    });
  });

  it('floods a broadcast out of every port the actions name', () => {
    const v = ovsVerdict(ovsTraceText('flood'), arp);
    expect(v.outcome.kind === 'outputs' && v.outcome.outputs.map((o) => o.dpPort)).toEqual([1, 2, 4]);
  });

  it('names the rule that dropped the frame: port security’s default drop', () => {
    const v = ovsVerdict(ovsTraceText('port-security'), icmp);
    expect(v.outcome).toMatchObject({ kind: 'drop', by: { table: 0, priority: 0, cookie: '0x5ec0dead' } });
    expect(v.datapathActions).toBe('drop');
  });

  it('follows conntrack through recirculation and applies the rewrite before the output', () => {
    const v = ovsVerdict(ovsTraceText('ct-established'), icmp);
    expect(v.outcome).toEqual({
      kind: 'outputs',
      outputs: [{ dpPort: 6, frame: { ...icmp, dstMac: '0a:00:00:00:00:02' } }],
    });
    expect(v.datapathActions).toBe('ct(zone=7),recirc(0x3) | recirc → set(eth(dst=0a:00:00:00:00:02)),6');
    expect(v.rules.map((r) => r.table)).toEqual([0, 5, 6]);
  });

  it('reads a committed connection that goes nowhere as dropped by the table that had no rule', () => {
    expect(ovsVerdict(ovsTraceText('ct-new-miss'), icmp).outcome).toMatchObject({
      kind: 'drop',
      by: { table: 9, miss: true },
    });
  });

  it.each([
    ['to the controller', 'userspace(pid=4294967295,slow_path(action))', /userspace/],
    ['into a tunnel', 'tnl_push(tnl_port(4),header(size=50,type=4)),out_port(1)', /tnl_push/],
    ['with a VLAN pushed', 'push_vlan(vid=10,pcp=0),4', /push_vlan/],
    ['with part of an address rewritten', 'set(ipv4(src=10.0.0.1/255.255.0.0)),4', /masked rewrite/],
    ['to a recirculation the answer does not follow', 'recirc(0x99)', /does not follow/],
  ])('is unknown for a frame sent %s, naming the action', (_what, actions, why) => {
    const text = ovsTraceText('output').replace('Datapath actions: 4', `Datapath actions: ${actions}`);
    const o = ovsVerdict(text, icmp).outcome;
    expect(o.kind).toBe('unknown');
    expect(o.kind === 'unknown' && o.reason).toMatch(why);
  });

  it('is unknown for text that is not an answer, saying it cannot be read', () => {
    const v = ovsVerdict('<html>502 Bad Gateway</html>', icmp);
    expect(v.outcome).toMatchObject({ kind: 'unknown', reason: expect.stringMatching(/cannot be read/) });
    expect(v.rules).toEqual([]);
  });
});
