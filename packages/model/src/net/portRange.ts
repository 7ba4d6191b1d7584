/**
 * The ports a port the kernel picks can take, inclusive: a connect()'s or an unbound datagram's
 * ephemeral port comes from its namespace's `net.ipv4.ip_local_port_range` (IPv6 too; reserved
 * ports only narrow it), a source NAT without ports of its own from 1024–65535. A match on such a
 * port is known where every port of the range gives the same answer.
 */
export interface PortRange {
  readonly start: number;
  readonly end: number;
}

/**
 * A collected range as a range to reason with: ports from 0 to 65535, low first. Anything else
 * (an agent's answer is not trusted to be sane) is no range at all, so no port is told from it.
 */
export const usableRange = (r: PortRange | undefined): PortRange | undefined =>
  r !== undefined &&
  Number.isInteger(r.start) &&
  Number.isInteger(r.end) &&
  r.start >= 0 &&
  r.start <= r.end &&
  r.end <= 65535
    ? r
    : undefined;

/**
 * Whether a port somewhere in `range` lies in one of `ranges` (inclusive pairs): true where every
 * port of it does, false where none does, undefined where that depends on the port.
 */
export function rangeIn(range: PortRange, ranges: readonly (readonly [number, number])[]): boolean | undefined {
  // Sorted and merged, the covered ports are disjoint runs: the range is inside one, or outside all.
  const runs = [...ranges].sort((a, b) => a[0] - b[0]);
  let hit = false;
  let from = -1;
  let to = -2;
  const settle = (): boolean | undefined => {
    if (range.start >= from && range.end <= to) return true;
    if (range.end >= from && range.start <= to) hit = true;
    return undefined;
  };
  for (const [a, b] of runs) {
    if (a <= to + 1) {
      to = Math.max(to, b);
      continue;
    }
    if (settle()) return true;
    from = a;
    to = b;
  }
  if (settle()) return true;
  return hit ? undefined : false;
}

/**
 * Whether the ports a masked key `value/mask` matches hold a port picked in `range` (as rangeIn):
 * they lie between `value & mask` and that with every free bit set, and where the mask is of
 * leading bits they are all of those; otherwise only their absence from the range tells.
 */
export function maskedIn(range: PortRange, value: number, mask: number): boolean | undefined {
  const free = 0xffff & ~mask;
  const lo = value & mask;
  const inHull = rangeIn(range, [[lo, lo | free]]);
  return inHull === true && (free & (free + 1)) !== 0 ? undefined : inHull;
}

/**
 * The ports a source NAT without a port range of its own may give a connection whose source port
 * was in `range`: it keeps its port where the new tuple is unique, and otherwise takes another of
 * its class (`nf_nat_l4proto_unique_tuple`: 1024–65535 for a port from 1024 on); --random and
 * --random-fully pick among those too.
 */
export const natSourcePorts = (range: PortRange): PortRange =>
  range.start >= 1024 ? { start: 1024, end: 65535 } : { start: 1, end: 65535 };
