import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ParseError } from './parseError.ts';
import { parseSysctls } from './parseSysctls.ts';

/**
 * Recorded in a fresh namespace with veths `va` (rp_filter=1) and `vb.1`, and arp_ignore=1 on `all`:
 * `ip netns exec NS grep -rsH --include=… . /proc/sys/net` (SYSCTL_GREP).
 */
const recorded = readFileSync(new URL('../../fixtures/sysctls-grep.txt', import.meta.url), 'utf8');

describe('parseSysctls', () => {
  it('reads all and each device but lo, both families, by device name', () => {
    const s = parseSysctls(recorded);
    expect(s.all.ipv4).toMatchObject({ rpFilter: 0, arpIgnore: 1, forwarding: 0 });
    expect(s.all.ipv6).toEqual({ disableIpv6: 0, forwarding: 0 });
    expect(s.devices.map((d) => d.name)).toEqual(['va', 'vb.1']);
    expect(s.devices.find((d) => d.name === 'va')?.conf.ipv4?.rpFilter).toBe(1);
    expect(s.devices.find((d) => d.name === 'vb.1')?.conf.ipv4?.rpFilter).toBe(0);
  });

  it('reads br_netfilter, ICMP echo and conntrack settings', () => {
    expect(parseSysctls(recorded)).toMatchObject({
      bridgeNfCallIptables: 1,
      bridgeNfCallIp6tables: 1,
      bridgeNfCallArptables: 1,
      icmpEchoIgnoreAll: 0,
      icmp6EchoIgnoreAll: 0,
      conntrackCount: 0,
      conntrackMax: 262144,
      localPortRange: { start: 32768, end: 60999 },
    });
  });

  it('reads the ephemeral port range, its two numbers tab-separated as the kernel prints them', () => {
    expect(parseSysctls('/proc/sys/net/ipv4/ip_local_port_range:1024\t65000\n').localPortRange).toEqual({
      start: 1024,
      end: 65000,
    });
  });

  it('keeps any integer the kernel accepted, negative or beyond the documented range', () => {
    const s = parseSysctls('/proc/sys/net/ipv4/conf/all/rp_filter:5\n/proc/sys/net/ipv4/conf/all/arp_ignore:-1\n');
    expect(s.all.ipv4).toEqual({ rpFilter: 5, arpIgnore: -1 });
  });

  it('ignores files it does not know and leaves absent what was not there', () => {
    const s = parseSysctls('/proc/sys/net/ipv4/conf/all/log_martians:1\n/proc/sys/net/core/somaxconn:4096\n');
    expect(s).toEqual({ all: {}, devices: [] });
  });

  it.each([
    ['a path outside /proc/sys/net', '/etc/passwd:0'],
    ['a value that is not an integer', '/proc/sys/net/ipv4/conf/all/rp_filter:$(reboot)'],
    ['a value beyond 32 bits', '/proc/sys/net/netfilter/nf_conntrack_max:99999999999'],
    ['a line without a colon', 'garbage'],
    ['a port range of one number', '/proc/sys/net/ipv4/ip_local_port_range:32768'],
    ['a port range upside down', '/proc/sys/net/ipv4/ip_local_port_range:60999\t32768'],
    ['a port beyond 65535', '/proc/sys/net/ipv4/ip_local_port_range:32768\t99999'],
  ])('refuses %s', (_what, line) => {
    expect(() => parseSysctls(`${line}\n`)).toThrow(ParseError);
  });
});
