import Type from 'typebox';
import type { Route } from '@hoplens/model';
import { parseJsonOutput } from './ipJson.ts';

const IpRouteSchema = Type.Array(
  Type.Object({
    type: Type.Optional(Type.String()),
    dst: Type.String(),
    dev: Type.Optional(Type.String()),
    gateway: Type.Optional(Type.String()),
    prefsrc: Type.Optional(Type.String()),
    table: Type.Optional(Type.String()),
    scope: Type.Optional(Type.String()),
    metric: Type.Optional(Type.Integer()),
    protocol: Type.Optional(Type.String()),
  }),
);

/** Parses `ip [-6] -d -j route show table all`; the family is the one the command asked for. */
export function parseRoutes(text: string, family: 'inet' | 'inet6' = 'inet'): Route[] {
  return parseJsonOutput(IpRouteSchema, text, 'ip -j route').map((r) => ({
    family,
    table: r.table ?? 'main',
    type: r.type ?? 'unicast',
    dst: r.dst,
    ...(r.dev !== undefined ? { dev: r.dev } : {}),
    ...(r.gateway !== undefined ? { gateway: r.gateway } : {}),
    ...(r.prefsrc !== undefined ? { prefsrc: r.prefsrc } : {}),
    ...(r.scope !== undefined ? { scope: r.scope } : {}),
    ...(r.metric !== undefined ? { metric: r.metric } : {}),
    ...(r.protocol !== undefined ? { protocol: r.protocol } : {}),
  }));
}
