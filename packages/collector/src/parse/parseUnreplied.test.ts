import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseUnreplied, UNREPLIED_AWK } from './parseUnreplied.ts';

/** /proc/net/nf_conntrack lines as kernel 6.18 prints them. */
const TABLE = [
  'ipv4     2 udp      17 29 src=192.168.100.1 dst=192.168.100.2 sport=57346 dport=4789 [UNREPLIED] src=192.168.100.2 dst=192.168.100.1 sport=4789 dport=57346 mark=0 zone=0 use=2',
  'ipv4     2 udp      17 28 src=192.168.100.2 dst=192.168.100.1 sport=34141 dport=4789 [UNREPLIED] src=192.168.100.1 dst=192.168.100.2 sport=4789 dport=34141 mark=0 zone=0 use=2',
  'ipv4     2 udp      17 170 src=10.0.0.2 dst=10.0.0.53 sport=40000 dport=53 src=10.0.0.53 dst=10.0.0.2 sport=53 dport=40000 [ASSURED] mark=0 zone=0 use=2',
  'ipv4     2 tcp      6 60 SYN_SENT src=10.0.0.2 dst=10.0.0.9 sport=41000 dport=4789 [UNREPLIED] src=10.0.0.9 dst=10.0.0.2 sport=4789 dport=41000 mark=0 zone=0 use=2',
  'ipv6     10 udp      17 25 src=fd00::1 dst=fd00::2 sport=5000 dport=6081 [UNREPLIED] src=fd00::2 dst=fd00::1 sport=6081 dport=5000 mark=0 zone=0 use=2',
].join('\n');

/** The iproute2 backend's program, on a copy of the table and of the namespace's count. */
function run(table: string, count: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'hl-ct-'));
  writeFileSync(join(dir, 'table'), table + '\n');
  writeFileSync(join(dir, 'count'), count + '\n');
  const script = UNREPLIED_AWK[2]!
    .replaceAll('/proc/net/nf_conntrack', join(dir, 'table'))
    .replaceAll('/proc/sys/net/netfilter/nf_conntrack_count', join(dir, 'count'));
  return execFileSync('sh', ['-c', script], { encoding: 'utf8' });
}

describe('unreplied UDP conntrack entries', () => {
  it('counts UDP entries never replied by their original destination port, TCP and replied ones left out', () => {
    expect(parseUnreplied(run(TABLE, '5'))).toEqual([
      { port: 4789, count: 2 },
      { port: 6081, count: 1 },
    ]);
  });

  it('does not walk the table for a namespace whose own count is 0', () => {
    expect(parseUnreplied(run(TABLE, '0'))).toEqual([]);
  });

  it('tells an empty table from none at all', () => {
    expect(parseUnreplied('')).toEqual([]);
    const none = execFileSync('sh', ['-c', UNREPLIED_AWK[2]!.replaceAll('/proc/net/nf_conntrack', '/nonexistent')], {
      encoding: 'utf8',
    });
    expect(parseUnreplied(none)).toBeUndefined();
  });

  it('keeps the 64 ports with the most entries and refuses what is not a count', () => {
    const many = Array.from({ length: 100 }, (_, i) => `${1000 + i} ${i + 1}`).join('\n');
    const kept = parseUnreplied(many)!;
    expect(kept).toHaveLength(64);
    expect(kept[0]).toEqual({ port: 1099, count: 100 });
    expect(() => parseUnreplied('4789 12\n$(reboot) 1')).toThrow(/unexpected conntrack count line/);
    expect(() => parseUnreplied('70000 1')).toThrow();
  });
});
