import { describe, expect, it } from 'vitest';
import { isMulticastMac, parseIp, parsePrefix, prefixContains } from './ip.ts';

describe('parseIp', () => {
  it('parses IPv4 and rejects octets above 255', () => {
    expect(parseIp('10.132.2.46')).toEqual({ family: 4, value: 0x0a84022en });
    expect(parseIp('10.132.2.256')).toBeUndefined();
    expect(parseIp('10.132.2')).toBeUndefined();
    for (const bad of [
      '10.132.2.46.',
      '.10.132.2',
      '10..2.46',
      '1.2.3.4.5',
      '1.2.3.1000',
      '1.2.3.x',
      '',
      '255.255.255.255 ',
    ])
      expect(parseIp(bad)).toBeUndefined();
    expect(parseIp('255.255.255.255')?.value).toBe(0xffffffffn);
  });

  it('refuses octets with leading zeros, which tools read as octal or decimal', () => {
    expect(parseIp('010.132.002.005')).toBeUndefined();
    expect(parseIp('10.132.2.05')).toBeUndefined();
    expect(parseIp('10.0.0.0')).toEqual({ family: 4, value: 0x0a000000n });
  });

  it('parses IPv6 with :: compression, zones and embedded IPv4', () => {
    expect(parseIp('::1')).toEqual({ family: 6, value: 1n });
    expect(parseIp('fe80::1%eth0')?.value).toBe((0xfe80n << 112n) | 1n);
    expect(parseIp('::ffff:10.0.0.1')?.value).toBe(0xffff0a000001n);
    expect(parseIp('1::2::3')).toBeUndefined();
    expect(parseIp('1:2:3')).toBeUndefined();
  });
});

describe('prefixContains', () => {
  it('matches by prefix length and never across families', () => {
    const net = parsePrefix('10.132.2.0/24', 4)!;
    expect(prefixContains(net, parseIp('10.132.2.46')!)).toBe(true);
    expect(prefixContains(net, parseIp('10.132.3.1')!)).toBe(false);
    expect(prefixContains(parsePrefix('default', 4)!, parseIp('8.8.8.8')!)).toBe(true);
    expect(prefixContains(parsePrefix('default', 4)!, parseIp('::1')!)).toBe(false);
    expect(parsePrefix('10.0.0.0/33', 4)).toBeUndefined();
  });
});

it('tells multicast MACs by the group bit', () => {
  expect(isMulticastMac('01:00:5e:00:00:01')).toBe(true);
  expect(isMulticastMac('0a:58:0a:84:02:2e')).toBe(false);
});
