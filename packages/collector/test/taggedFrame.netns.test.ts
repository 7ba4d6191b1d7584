import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTraceSession, type KernelTrace } from '../src/probe/tracefs/traceInstance.ts';
import { runCommand } from '../src/runCommand.ts';
import { canBuildNetns } from '../src/testing/requireNetns.ts';

const prefix = `hl-${randomBytes(3).toString('hex')}-`;
const sender = `${prefix}tagsend`;
const pod = `${prefix}tagpod`;

/**
 * Sends one ICMP echo to 10.77.0.2 from v0, in an 802.1Q header of VLAN `vid`, by a packet socket
 * (the kernel here has no vlan module to tag it; a filtering bridge's tagged egress puts the same
 * tag on the wire).
 */
const SEND = `
import socket, struct, sys
dst = bytes.fromhex(sys.argv[1].replace(':', ''))
vid = int(sys.argv[2])
def csum(b):
    t = sum(struct.unpack('!%dH' % (len(b) // 2), b)); t = (t >> 16) + (t & 0xffff); t += t >> 16
    return ~t & 0xffff
icmp = struct.pack('!BBHHH', 8, 0, 0, 0x4c, 1) + b'x' * 56
icmp = icmp[:2] + struct.pack('!H', csum(icmp)) + icmp[4:]
ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(icmp), 1, 0, 64, 1, 0,
                 socket.inet_aton('10.77.0.1'), socket.inet_aton('10.77.0.2'))
ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(('v0', 0))
s.send(dst + bytes.fromhex('020000000077') + struct.pack('!HHH', 0x8100, vid, 0x0800) + ip + icmp)
`;

/**
 * What the tracer says of a frame a VLAN-filtering bridge sends tagged out of a pod's port (the
 * VLAN not `untagged` there): the pod's eth0, without a vlan device of that id, marks it
 * PACKET_OTHERHOST and ip_rcv frees it with OTHERHOST — proven here on the kernel (stages/vlan.ts
 * `vlanRx`); a priority tag (VLAN 0) is taken as untagged.
 */
describe.skipIf(!canBuildNetns())('a tagged frame reaching a pod without a vlan device', () => {
  let podMac = '';
  const sendTagged = async (vid: number): Promise<KernelTrace> => {
    const session = await openTraceSession(['eth0']);
    try {
      await runCommand(['ip', 'netns', 'exec', sender, 'python3', '-c', SEND, podMac, String(vid)]);
      await new Promise((r) => setTimeout(r, 200));
    } catch (e) {
      await session.close();
      throw e;
    }
    return session.close();
  };

  beforeAll(async () => {
    await runCommand(['ip', 'netns', 'add', sender]);
    await runCommand(['ip', 'netns', 'add', pod]);
    // No IPv6 in the pod: its router solicitations would move the counter the tests read.
    for (const key of ['all', 'default'])
      await runCommand(['ip', 'netns', 'exec', pod, 'sysctl', '-q', '-w', `net.ipv6.conf.${key}.disable_ipv6=1`]);
    await runCommand(['ip', '-n', sender, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', pod]);
    await runCommand(['ip', '-n', sender, 'link', 'set', 'v0', 'up']);
    await runCommand(['ip', '-n', pod, 'link', 'set', 'eth0', 'up']);
    await runCommand(['ip', '-n', pod, 'addr', 'add', '10.77.0.2/24', 'dev', 'eth0']);
    const link = JSON.parse(await runCommand(['ip', '-n', pod, '-j', 'link', 'show', 'eth0'])) as { address: string }[];
    podMac = link[0]!.address;
  });
  afterAll(async () => {
    await runCommand(['ip', 'netns', 'del', sender]).catch(() => undefined);
    await runCommand(['ip', 'netns', 'del', pod]).catch(() => undefined);
  });

  /** Packets the pod's eth0 has sent: it answers an echo it took (an ARP request for the sender first). */
  const podSent = async (): Promise<number> => {
    const out = JSON.parse(await runCommand(['ip', '-n', pod, '-s', '-j', 'link', 'show', 'eth0'])) as {
      stats64: { tx: { packets: number } };
    }[];
    return out[0]!.stats64.tx.packets;
  };
  const freedAtIpRcv = (t: KernelTrace) =>
    t.events.filter((e) => e.event === 'kfree_skb' && e.protocol === 2048 && e.location?.startsWith('ip_rcv'));

  it('is dropped by ip_rcv as OTHERHOST where tagged VLAN 100, unanswered', async () => {
    const before = await podSent();
    const drops = freedAtIpRcv(await sendTagged(100));
    expect(drops.map((e) => e.reason)).toContain('OTHERHOST');
    expect(await podSent()).toBe(before);
  });

  it('is taken as untagged, and answered, where priority-tagged (VLAN 0)', async () => {
    const before = await podSent();
    expect(freedAtIpRcv(await sendTagged(0))).toEqual([]);
    expect(await podSent()).toBeGreaterThan(before);
  });
});
