import { MAX_LISTENING_SOCKETS, parseIp, type ListeningSocket, type ListeningSockets } from '@hoplens/model';
import { listeningSockets } from '../listeningSockets.ts';
import { ParseError } from './parseError.ts';

/**
 * What the iproute2 backend runs in each namespace for its listening sockets, as native/nldump.c
 * asks the kernel (kind 24): TCP in LISTEN and unconnected UDP, numeric, no header. Not `-e`,
 * whose `v6only:` would be exact: it looks up every socket's cgroup, 15 s for 17,000 sockets where
 * cgroup2 is not mounted. Lines beyond MAX_LISTENING_SOCKETS are neither kept nor parsed.
 */
export const SS_LISTENING = ['ss', '-H', '-l', '-n', '-t', '-u'];

/**
 * `udp UNCONN 0 0 0.0.0.0:5353 0.0.0.0:*`: the local address is `addr:port`, `addr%dev:port` for a
 * socket bound to a device; an IPv6 address is bracketed. v6only is read as the kernel and ss set
 * it: ss prints `::` as `*` on a socket that takes IPv4 too and `[::]` on a v6only one
 * (`inet_addr_print`); a socket bound to another IPv6 address is v6only unless it is v4-mapped
 * (`__inet6_bind` sets it). A `v6only:` word (`-e`), where there is one, is taken as printed.
 */
const LINE = /^(tcp|udp)\s+(\S+)\s+\d+\s+\d+\s+(\S+):(\d+|\*)\s+\S+(.*)$/;
const ADDRESS = /^(\*|\[[0-9a-fA-F:.]+\]|[0-9.]+)(?:%([^\s%]{1,64}))?$/;

/** `ss -H -l -n -t -u -e` output into the namespace's listening sockets; a line it cannot read fails the answer. */
export function parseListening(text: string): ListeningSockets {
  const out: ListeningSocket[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    // One past the cap is enough for `truncated`: the rest is not read.
    if (out.length > MAX_LISTENING_SOCKETS) break;
    const s = parseLine(line);
    if (s) out.push(s);
  }
  return listeningSockets(out);
}

function parseLine(line: string): ListeningSocket | undefined {
  const m = LINE.exec(line);
  const a = m && ADDRESS.exec(m[3]!);
  if (!m || !a) throw new ParseError(`unexpected ss line: ${line.slice(0, 120)}`);
  const [, proto, state, , port, extra] = m;
  // `-l` lists TCP sockets in CLOSE too (bound, not listening): they take no connection.
  if ((proto === 'tcp' && state !== 'LISTEN') || (proto === 'udp' && state !== 'UNCONN')) return undefined;
  const [, bound, dev] = a;
  const v6only = /\bv6only:([01])\b/.exec(extra!)?.[1];
  const v6 = bound === '*' || bound!.startsWith('[');
  const address = bound === '*' ? '::' : v6 ? bound!.slice(1, -1) : bound!;
  const ip = parseIp(address);
  if (port !== '*' && Number(port) > 65535) throw new ParseError(`unexpected ss port: ${line.slice(0, 120)}`);
  if (!ip || (ip.family === 6) !== v6) throw new ParseError(`unexpected ss address: ${m[3]!.slice(0, 80)}`);
  return {
    proto: proto as 'tcp' | 'udp',
    family: v6 ? 'inet6' : 'inet',
    address: canonical(address),
    port: port === '*' ? 0 : Number(port),
    ...(dev === undefined ? {} : { dev }),
    ...(v6 ? { v6only: v6only === undefined ? impliedV6only(bound!, address) : v6only === '1' } : {}),
  };
}

/** v6only from the address alone (see LINE). */
const impliedV6only = (printed: string, address: string): boolean =>
  printed === '*' ? false : printed === '[::]' ? true : !address.toLowerCase().startsWith('::ffff:');

/** ss prints addresses as inet_ntop does, as the netlink decoder does; lower case to be sure. */
const canonical = (address: string): string => address.toLowerCase();
