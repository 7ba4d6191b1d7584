import Type from 'typebox';
import type { Route } from '@hoplens/model';
import { checked, isDestination, isIp, parseJsonOutput } from './ipJson.ts';

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
  const what = 'ip -j route';
  return parseJsonOutput(IpRouteSchema, text, what).map((r) => ({
    family,
    table: r.table ?? 'main',
    type: r.type ?? 'unicast',
    dst: checked(what, 'dst', r.dst, isDestination),
    ...(r.dev !== undefined ? { dev: r.dev } : {}),
    ...(r.gateway !== undefined ? { gateway: checked(what, 'gateway', r.gateway, isIp) } : {}),
    ...(r.prefsrc !== undefined ? { prefsrc: checked(what, 'prefsrc', r.prefsrc, isIp) } : {}),
    ...(r.scope !== undefined ? { scope: r.scope } : {}),
    ...(r.metric !== undefined ? { metric: r.metric } : {}),
    ...(r.protocol !== undefined ? { protocol: r.protocol } : {}),
  }));
}
