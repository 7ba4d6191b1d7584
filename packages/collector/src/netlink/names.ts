/** The names iproute2 prints for rtnetlink numbers (/etc/iproute2/rt_* defaults). */

const SCOPES: Record<number, string> = { 0: 'global', 200: 'site', 253: 'link', 254: 'host', 255: 'nowhere' };
export const scopeName = (n: number): string => SCOPES[n] ?? String(n);

const TABLES: Record<number, string> = { 253: 'default', 254: 'main', 255: 'local' };
export const tableName = (n: number): string => TABLES[n] ?? String(n);

const PROTOCOLS: Record<number, string> = {
  0: 'unspec',
  1: 'redirect',
  2: 'kernel',
  3: 'boot',
  4: 'static',
  8: 'gated',
  9: 'ra',
  10: 'mrt',
  11: 'zebra',
  12: 'bird',
  13: 'dnrouted',
  14: 'xorp',
  15: 'ntk',
  16: 'dhcp',
  18: 'keepalived',
  42: 'babel',
  99: 'openr',
  186: 'bgp',
  187: 'isis',
  188: 'ospf',
  189: 'rip',
  192: 'eigrp',
};
export const protocolName = (n: number): string => PROTOCOLS[n] ?? String(n);

const ROUTE_TYPES = [
  'none',
  'unicast',
  'local',
  'broadcast',
  'anycast',
  'multicast',
  'blackhole',
  'unreachable',
  'prohibit',
  'throw',
  'nat',
  'xresolve',
];
export const routeTypeName = (n: number): string => ROUTE_TYPES[n] ?? String(n);

const NUD: [number, string][] = [
  [0x01, 'INCOMPLETE'],
  [0x02, 'REACHABLE'],
  [0x04, 'STALE'],
  [0x08, 'DELAY'],
  [0x10, 'PROBE'],
  [0x20, 'FAILED'],
  [0x40, 'NOARP'],
  [0x80, 'PERMANENT'],
];
/** Neighbour states as `ip -j neigh` lists them. */
export const nudNames = (state: number): string[] => namesOf(NUD, state);

const NTF: [number, string][] = [
  [0x02, 'self'],
  [0x80, 'router'],
  [0x10, 'extern_learn'],
  [0x20, 'offload'],
  [0x04, 'master'],
  [0x40, 'sticky'],
];
/** fdb entry flags as `bridge -j fdb` lists them. */
export const ntfNames = (flags: number): string[] => namesOf(NTF, flags);

/**
 * The names of the bits set, in the table's order. An indexed loop without destructuring: filter and
 * map made two arrays and closures per entry, and unoptimized code (see shortLived) destructures a
 * pair through the iterator protocol, an allocation per step.
 */
function namesOf(table: readonly (readonly [number, string])[], bits: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < table.length; i++) {
    const entry = table[i]!;
    if (bits & entry[0]) out.push(entry[1]);
  }
  return out;
}
