import Type from 'typebox';
import type { Neighbor, ProxyNeighbor } from '@hoplens/model';
import { checked, isIp, isMac, parseJsonOutput } from './ipJson.ts';

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
  const what = 'ip -j neigh';
  return parseJsonOutput(IpNeighSchema, text, what).map((n) => ({
    ip: checked(what, 'dst', n.dst, isIp),
    dev: n.dev,
    ...(n.lladdr !== undefined ? { mac: checked(what, 'lladdr', n.lladdr, isMac).toLowerCase() } : {}),
    state: n.state ?? [],
  }));
}

const IpProxySchema = Type.Array(Type.Object({ dst: Type.String(), dev: Type.Optional(Type.String()) }));

/** Parses `ip -j neigh show proxy` (the pneigh table of both families). */
export function parseProxyNeighbors(text: string): ProxyNeighbor[] {
  const what = 'ip -j neigh show proxy';
  return parseJsonOutput(IpProxySchema, text, what).map((n) => ({
    ip: checked(what, 'dst', n.dst, isIp),
    ...(n.dev !== undefined ? { dev: n.dev } : {}),
  }));
}
