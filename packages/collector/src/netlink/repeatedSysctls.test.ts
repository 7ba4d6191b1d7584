import { describe, expect, it } from 'vitest';
import { parseSysctls } from '../parse/parseSysctls.ts';
import { parseRepeatedSysctls } from './repeatedSysctls.ts';

const POD = '/proc/sys/net/ipv4/conf/all/rp_filter:1\n/proc/sys/net/ipv4/icmp_echo_ignore_all:0\n';
const NODE = '/proc/sys/net/ipv4/conf/all/rp_filter:2\n/proc/sys/net/ipv4/icmp_echo_ignore_all:1\n';

describe('parseRepeatedSysctls', () => {
  it('reads each text as parseSysctls does, whatever was read before', () => {
    for (const text of [POD, POD, NODE, POD, NODE, NODE])
      expect(parseRepeatedSysctls(text)).toEqual(parseSysctls(text));
  });

  it('answers the same text again from what it read', () => {
    const first = parseRepeatedSysctls(POD);
    expect(parseRepeatedSysctls(POD)).toBe(first);
    expect(parseRepeatedSysctls(NODE)).not.toBe(first);
  });

  it('throws on a malformed text, and still reads the next one', () => {
    expect(() => parseRepeatedSysctls('not a sysctl line')).toThrow();
    expect(parseRepeatedSysctls(NODE).all.ipv4?.rpFilter).toBe(2);
  });
});
