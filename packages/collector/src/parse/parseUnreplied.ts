import { MAX_UNREPLIED_PORTS, type UnrepliedUdp } from '@hoplens/model';
import { ParseError } from './parseError.ts';

const TABLE = '/proc/net/nf_conntrack';
/** The namespace's own entry count: where it is 0 the table (one for all namespaces) is not walked. */
const COUNT = '/proc/sys/net/netfilter/nf_conntrack_count';
/** What the shell prints where the namespace has no conntrack table to read. */
const ABSENT = 'no-conntrack-table';

/**
 * Counts unreplied UDP entries by destination port, as native/nldump.c does, for the iproute2
 * backend: one `sh` in the namespace, printing `port count` lines (the table itself can hold
 * millions of lines, so it is never copied out). Lines look like `ipv4 2 udp 17 29 src=… dst=…
 * sport=… dport=4789 [UNREPLIED] src=…`: the first dport is the original direction's.
 */
export const UNREPLIED_AWK = [
  'sh',
  '-c',
  `[ -r ${TABLE} ] || { echo ${ABSENT}; exit 0; }; [ "$(cat ${COUNT})" = 0 ] && exit 0; awk '$3 == "udp" && / \\[UNREPLIED\\] / { for (i = 4; i <= NF; i++) if ($i ~ /^dport=/) { n[substr($i, 7)]++; break } } END { for (p in n) print p, n[p] }' ${TABLE}`,
];

/**
 * `port count` lines into the ports with the most unreplied entries (at most MAX_UNREPLIED_PORTS);
 * undefined where there was no table. A malformed line fails the whole answer.
 */
export function parseUnreplied(text: string): UnrepliedUdp | undefined {
  if (text.trim() === ABSENT) return undefined;
  const rows: { port: number; count: number }[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const m = /^(\d{1,5}) (\d{1,10})$/.exec(line.trim());
    const port = Number(m?.[1]);
    const count = Number(m?.[2]);
    if (!m || port > 65535 || count < 1) throw new ParseError(`unexpected conntrack count line: ${line.slice(0, 80)}`);
    rows.push({ port, count });
  }
  return rows.sort((a, b) => b.count - a.count || a.port - b.port).slice(0, MAX_UNREPLIED_PORTS);
}
