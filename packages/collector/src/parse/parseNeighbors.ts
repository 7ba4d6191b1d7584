import Type from 'typebox';
import type { Neighbor } from '@hoplens/model';
import { parseJsonOutput } from './ipJson.ts';

const IpNeighSchema = Type.Array(
  Type.Object({
    dst: Type.String(),
    dev: Type.String(),
    lladdr: Type.Optional(Type.String()),
    state: Type.Optional(Type.Array(Type.String())),
  }),
);

/** Parses `ip -j neigh show` (ARP and NDP). */
export function parseNeighbors(text: string): Neighbor[] {
  return parseJsonOutput(IpNeighSchema, text, 'ip -j neigh').map((n) => ({
    ip: n.dst,
    dev: n.dev,
    ...(n.lladdr !== undefined ? { mac: n.lladdr.toLowerCase() } : {}),
    state: n.state ?? [],
  }));
}
