import { FRAME, type NetnsFrames } from './frames.ts';

/**
 * The parts the inventory holds as plain lists, each dumped once per namespace: where one has no
 * answer (the helper's netlink socket failed before it) or was refused, an empty list would say
 * "none", and the tracer would walk on that as a fact. tc filters are asked per device, so only a
 * refusal counts there.
 */
const LISTS: readonly (readonly [number, string, 'always' | 'asked'])[] = [
  [FRAME.addr, 'its addresses', 'always'],
  [FRAME.route4, 'its IPv4 routes', 'always'],
  [FRAME.route6, 'its IPv6 routes', 'always'],
  [FRAME.neigh, 'its neighbour table', 'always'],
  [FRAME.qdisc, 'its qdiscs (and so its tc filters)', 'always'],
  [FRAME.filterIngress, 'its tc ingress filters', 'asked'],
  [FRAME.filterEgress, 'its tc egress filters', 'asked'],
];

/** The helper's own words for a dump the kernel refused or cut short (nldump.c dump_error, done_error). */
export const refusal = (f: NetnsFrames, kind: number): string | undefined =>
  f.errors.find((m) => m.startsWith(`dump ${kind} refused: `) || m.startsWith(`dump ${kind} failed: `));
export const refused = (f: NetnsFrames, kind: number): boolean => refusal(f, kind) !== undefined;

/** Why the namespace must be left out: a list part it could not read (undefined: none). */
export function unreadPart(f: NetnsFrames): string | undefined {
  for (const [kind, what, when] of LISTS) {
    const why =
      refusal(f, kind) ?? (when === 'always' && !f.dumps.has(kind) ? f.errors.join('; ') || 'no answer' : undefined);
    if (why !== undefined) return `${what} could not be read, so this namespace is left out: ${why}`;
  }
  return undefined;
}
