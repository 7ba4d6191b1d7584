import { describe, expect, it } from 'vitest';
import { MAX_LISTENING_SOCKETS } from '@hoplens/model';
import { parseListening } from './parseListening.ts';
import { ParseError } from './parseError.ts';

/** `ss -H -l -n -t -u -e` in a namespace of this machine (iproute2 6.1), as it printed it. */
const RECORDED = `udp UNCONN 0      0         0.0.0.0:5353 0.0.0.0:* ino:12762735 sk:1386 cgroup:unreachable:1 <->
udp UNCONN 0      0               *:5354       *:* ino:12762736 sk:1387 cgroup:unreachable:1 v6only:0 <->
udp UNCONN 0      0           [::1]:5355    [::]:* ino:12762737 sk:1388 cgroup:unreachable:1 v6only:1 <->
udp UNCONN 0      0            *%lo:5356       *:* ino:12762738 sk:1389 cgroup:unreachable:1 v6only:0 <->
tcp LISTEN 0      128      10.9.9.9:81   0.0.0.0:* ino:12762731 sk:138a cgroup:unreachable:1 <->
tcp LISTEN 0      128       0.0.0.0:8080 0.0.0.0:* ino:12762730 sk:138b cgroup:unreachable:1 <->
tcp LISTEN 0      128    0.0.0.0%lo:82   0.0.0.0:* ino:12762734 sk:138c cgroup:unreachable:1 <->
tcp LISTEN 0      128             *:8444       *:* ino:12762733 sk:138d cgroup:unreachable:1 v6only:0 <->
tcp LISTEN 0      128          [::]:8443    [::]:* ino:12762732 sk:138e cgroup:unreachable:1 v6only:1 <->
`;

describe('parseListening', () => {
  it('reads wildcards, bound addresses, devices and v6only as ss prints them', () => {
    const { sockets, truncated } = parseListening(RECORDED);
    expect(truncated).toBeUndefined();
    expect(sockets).toEqual([
      { proto: 'udp', family: 'inet', address: '0.0.0.0', port: 5353 },
      { proto: 'udp', family: 'inet6', address: '::', port: 5354, v6only: false },
      { proto: 'udp', family: 'inet6', address: '::1', port: 5355, v6only: true },
      { proto: 'udp', family: 'inet6', address: '::', port: 5356, dev: 'lo', v6only: false },
      { proto: 'tcp', family: 'inet', address: '10.9.9.9', port: 81 },
      { proto: 'tcp', family: 'inet', address: '0.0.0.0', port: 8080 },
      { proto: 'tcp', family: 'inet', address: '0.0.0.0', port: 82, dev: 'lo' },
      { proto: 'tcp', family: 'inet6', address: '::', port: 8444, v6only: false },
      { proto: 'tcp', family: 'inet6', address: '::', port: 8443, v6only: true },
    ]);
  });

  it('keeps the first sockets up to the cap and says the list was cut', () => {
    const line = (i: number): string => `udp UNCONN 0 0 0.0.0.0:${1000 + i} 0.0.0.0:* ino:1 sk:1 <->`;
    const text = Array.from({ length: 100_000 }, (_, i) => line(i % 60_000)).join('\n');
    const got = parseListening(text);
    expect(got.truncated).toBe(true);
    expect(got.sockets).toHaveLength(MAX_LISTENING_SOCKETS);
    expect(got.sockets[0]).toEqual({ proto: 'udp', family: 'inet', address: '0.0.0.0', port: 1000 });
  });

  it('reads v6only from the address where ss prints no v6only word (without -e)', () => {
    const plain = RECORDED.replace(/ ino:.*$/gm, '');
    expect(parseListening(plain)).toEqual(parseListening(RECORDED));
    const mapped = parseListening('tcp LISTEN 0 5 [::ffff:10.0.0.1]:80 *:*\ntcp LISTEN 0 5 [fd00::1]:80 *:*\n');
    expect(mapped.sockets.map((s) => s.v6only)).toEqual([false, true]);
  });

  it('leaves out TCP sockets that are bound but do not listen', () => {
    expect(parseListening('tcp CLOSE 0 0 0.0.0.0:9 0.0.0.0:* ino:1 <->\n').sockets).toEqual([]);
  });

  it('refuses lines it cannot read rather than guessing', () => {
    for (const bad of [
      'tcp LISTEN 0 128 0.0.0.0 0.0.0.0:*',
      'tcp LISTEN 0 128 10.0.0.1:99999x 0.0.0.0:*',
      'tcp LISTEN 0 128 10.0.0.1:99999 0.0.0.0:*',
      'tcp LISTEN 0 128 [10.0.0.1]:80 0.0.0.0:*',
      'tcp LISTEN 0 128 010.0.0.1:80 0.0.0.0:*',
      'tcp LISTEN 0 128 0.0.0.0%a b:80 0.0.0.0:*',
      'Failed to find cgroup2 mount',
    ]) {
      expect(() => parseListening(bad), bad).toThrow(ParseError);
    }
  });
});
