import { describe, expect, it } from 'vitest';
import { BROADCAST_MAC, icmpEcho, type Frame } from '../trace/packet.ts';
import { ofprotoTraceCommand, ovsFlow } from './ovsFlow.ts';

const l2 = { srcMac: '0A:58:0A:84:02:0A', dstMac: '0a:58:0a:84:02:02' };

describe('ovsFlow', () => {
  it('writes an ARP request with the sender address the caller found, MACs in lower case', () => {
    const frame: Frame = { ...l2, dstMac: BROADCAST_MAC, packet: { kind: 'arp', src: undefined, dst: '10.132.2.2' } };
    expect(ovsFlow(2, frame, '10.132.2.10')).toEqual({
      flow: 'arp,in_port=2,dl_src=0a:58:0a:84:02:0a,dl_dst=ff:ff:ff:ff:ff:ff,arp_op=1,arp_spa=10.132.2.10,arp_tpa=10.132.2.2,arp_sha=0a:58:0a:84:02:0a,arp_tha=00:00:00:00:00:00',
    });
  });

  it('writes ping’s request as a new connection and its reply as an established one', () => {
    const req = ovsFlow(2, {
      ...l2,
      packet: icmpEcho({ src: '10.132.2.10', dst: '10.132.2.2', type: 'echo-request' }),
    });
    const rep = ovsFlow(2, { ...l2, packet: icmpEcho({ src: '10.132.2.10', dst: '10.132.2.2', type: 'echo-reply' }) });
    expect(req).toEqual({
      flow: 'icmp,in_port=2,dl_src=0a:58:0a:84:02:0a,dl_dst=0a:58:0a:84:02:02,nw_src=10.132.2.10,nw_dst=10.132.2.2,nw_ttl=64,icmp_type=8,icmp_code=0',
      ctNext: 'trk,new',
    });
    expect(rep).toMatchObject({ flow: expect.stringContaining('icmp_type=0'), ctNext: 'trk,est' });
  });

  it('writes IPv6 echo and TCP with the fields OVS names them by', () => {
    const v6 = ovsFlow(1, { ...l2, packet: icmpEcho({ src: 'fd00::1', dst: 'fd00::2', type: 'echo-request' }) });
    expect('flow' in v6 && v6.flow).toBe(
      'icmp6,in_port=1,dl_src=0a:58:0a:84:02:0a,dl_dst=0a:58:0a:84:02:02,ipv6_src=fd00::1,ipv6_dst=fd00::2,nw_ttl=64,icmpv6_type=128,icmpv6_code=0',
    );
    const ip = icmpEcho({ src: '10.0.0.1', dst: '10.0.0.2', type: 'echo-request' });
    const syn = ovsFlow(1, {
      ...l2,
      packet: { ...ip, l4: { proto: 'tcp', sport: 40000, dport: 443, flags: ['syn'] } },
    });
    expect('flow' in syn && syn.flow).toMatch(/^tcp,.*,tp_src=40000,tp_dst=443,tcp_flags=0x002$/);
  });

  it('asks about a port the kernel picks with a stand-in, the first of its range, and says so', () => {
    const ip = icmpEcho({ src: '10.0.0.1', dst: '10.0.0.2', type: 'echo-request' });
    const vxlan = ovsFlow(1, { ...l2, packet: { ...ip, l4: { proto: 'udp', sport: undefined, dport: 4789 } } });
    expect(vxlan).toMatchObject({
      flow: expect.stringMatching(/^udp,.*,tp_src=32768,tp_dst=4789$/),
      standIns: [{ field: 'tp_src', port: 32768 }],
    });
    const reply = ovsFlow(1, {
      ...l2,
      packet: {
        ...ip,
        l4: {
          proto: 'tcp',
          sport: 8080,
          dport: undefined,
          dportRange: { start: 40000, end: 50000 },
          flags: ['syn', 'ack'],
        },
      },
    });
    expect(reply).toMatchObject({
      flow: expect.stringMatching(/,tp_src=8080,tp_dst=40000,tcp_flags=0x012$/),
      standIns: [{ field: 'tp_dst', port: 40000, range: { start: 40000, end: 50000 } }],
    });
    // Known ports need no stand-in.
    const syn = ovsFlow(1, {
      ...l2,
      packet: { ...ip, l4: { proto: 'tcp', sport: 40000, dport: 443, flags: ['syn'] } },
    });
    expect(syn).not.toHaveProperty('standIns');
  });

  it('says what it cannot know rather than guessing it', () => {
    const ip = icmpEcho({ src: '10.0.0.1', dst: '10.0.0.2', type: 'echo-request' });
    expect(ovsFlow(1, { ...l2, srcMac: null, packet: ip })).toEqual({ unknown: expect.stringMatching(/source MAC/) });
    const arp: Frame = { ...l2, packet: { kind: 'arp', src: undefined, dst: '10.0.0.2' } };
    expect(ovsFlow(1, arp)).toEqual({ unknown: expect.stringMatching(/sender address/) });
  });

  it('prints the command that asks the node the same, naming the control socket only where it is not the default', () => {
    const q = { bridge: 'br-int', flow: 'icmp,in_port=1', ctNext: 'trk,new' };
    expect(ofprotoTraceCommand(q)).toEqual([
      'ovs-appctl',
      'ofproto/trace',
      'br-int',
      'icmp,in_port=1',
      '--ct-next',
      'trk,new',
    ]);
    expect(ofprotoTraceCommand(q, '/run/x/ovs-vswitchd.7.ctl').slice(0, 3)).toEqual([
      'ovs-appctl',
      '-t',
      '/run/x/ovs-vswitchd.7.ctl',
    ]);
  });
});
