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
    /** RTA_METRICS as `ip -j` prints them: one object of the metrics set (`mtu`, `advmss`, …). */
    metrics: Type.Optional(Type.Array(Type.Object({ mtu: Type.Optional(Type.Integer({ minimum: 0 })) }))),
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
    ...routeMtu(r.metrics),
  }));
}

function routeMtu(metrics: readonly { mtu?: number | undefined }[] | undefined): { mtu?: number } {
  const mtu = metrics?.find((m) => m.mtu !== undefined)?.mtu;
  return mtu === undefined || mtu === 0 ? {} : { mtu };
}

/**
 * `ip -j` leaves out which metrics are locked (`mtu lock 1400` prints as `"mtu":1400`); the text of
 * the same dump (`ip -d route show table all`, one line per route in the same order, a multipath
 * route's `nexthop` lines indented) says it. Marks the routes whose MTU is locked. Where the two
 * dumps do not line up (the kernel added or removed a route between them — IPv6 adds its own while
 * links come up), each route is matched to the one text line with its destination, device, table
 * and metric instead; a route without exactly one such line stays unmarked.
 */
export function withMtuLocks(routes: readonly Route[], text: string): Route[] {
  const lines = text.split('\n').filter((l) => l.length > 0 && !/^\s/.test(l));
  const aligned =
    lines.length === routes.length &&
    routes.every((r, i) => {
      const words = lines[i]!.split(/\s+/);
      // `-d` prints the type first, then the destination.
      return words[1] === r.dst || words[0] === r.dst;
    });
  const lineOf = aligned ? (_r: Route, i: number) => lines[i] : lineByKey(lines);
  return routes.map((r, i) => {
    const line = r.mtu === undefined ? undefined : lineOf(r, i);
    return line !== undefined && new RegExp(`(^|\\s)mtu lock ${r.mtu}(\\s|$)`).test(line) ? { ...r, mtuLock: true } : r;
  });
}

/** The text line of a route by what names it, where exactly one line has that name. */
function lineByKey(lines: readonly string[]): (r: Route) => string | undefined {
  const byKey = new Map<string, string | null>();
  for (const line of lines) {
    const key = textKey(line);
    if (key !== undefined) byKey.set(key, byKey.has(key) ? null : line);
  }
  return (r) => byKey.get(routeKey(r.type, r.dst, r.dev, r.table, r.metric)) ?? undefined;
}

function textKey(line: string): string | undefined {
  const words = line.split(/\s+/);
  const after = (w: string): string | undefined => {
    const i = words.indexOf(w);
    return i < 0 ? undefined : words[i + 1];
  };
  const [type, dst] = words;
  if (type === undefined || dst === undefined) return undefined;
  const metric = after('metric');
  return routeKey(type, dst, after('dev'), after('table') ?? 'main', metric === undefined ? undefined : Number(metric));
}

const routeKey = (type: string, dst: string, dev: string | undefined, table: string, metric: number | undefined) =>
  JSON.stringify([type, dst, dev ?? null, table, metric ?? 0]);
