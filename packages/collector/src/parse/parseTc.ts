import Type from 'typebox';
import type { TcAction, TcFilter } from '@hoplens/model';
import { parseJsonOutput } from './ipJson.ts';

const TcQdiscSchema = Type.Array(
  Type.Object({
    kind: Type.String(),
    dev: Type.String(),
    root: Type.Optional(Type.Boolean()),
    parent: Type.Optional(Type.String()),
  }),
);

/** A qdisc as `tc -j qdisc show` prints it, before its device is resolved to an ifindex. */
export interface ParsedQdisc {
  readonly dev: string;
  readonly kind: string;
  readonly parent: string;
}

/** Parses `tc -j qdisc show`: every qdisc, its parent `root`, `ingress` (also clsact's) or a handle. */
export function parseQdiscs(text: string): ParsedQdisc[] {
  return parseJsonOutput(TcQdiscSchema, text, 'tc -j qdisc').map((q) => ({
    dev: q.dev,
    kind: q.kind,
    parent: q.root ? 'root' : q.parent === 'ffff:fff1' ? 'ingress' : (q.parent ?? 'root'),
  }));
}

/** Devices with an ingress or clsact qdisc: the only ones whose filters are worth asking for. */
export function parseTcQdiscs(text: string): ParsedQdisc[] {
  return parseQdiscs(text).filter(hasFilters);
}

export const hasFilters = (q: { kind: string }): boolean => q.kind === 'ingress' || q.kind === 'clsact';

const TcFilterJsonSchema = Type.Array(
  Type.Object({
    kind: Type.String(),
    pref: Type.Optional(Type.Integer()),
    ingress: Type.Optional(Type.Boolean()),
    options: Type.Optional(
      Type.Object({
        fh: Type.Optional(Type.String()),
        match: Type.Optional(Type.Object({ value: Type.String(), mask: Type.String() })),
        actions: Type.Optional(
          Type.Array(
            Type.Object({
              kind: Type.String(),
              mirred_action: Type.Optional(Type.String()),
              direction: Type.Optional(Type.String()),
              to_dev: Type.Optional(Type.String()),
            }),
          ),
        ),
      }),
    ),
  }),
);

/**
 * Parses `tc -j filter show dev DEV ingress|egress`. u32 prints a header entry per hash table and
 * one per key; only entries with actions are filters. `u32 match u32 0 0` (value 0, mask 0) and
 * `matchall` match every packet.
 */
export function parseTcFilters(
  text: string,
  dev: string,
  ifindex: number,
  direction: 'ingress' | 'egress',
): TcFilter[] {
  const out: TcFilter[] = [];
  for (const f of parseJsonOutput(TcFilterJsonSchema, text, 'tc -j filter')) {
    const actions = f.options?.actions;
    if (!actions) continue;
    const m = f.options?.match;
    const matchesAll = f.kind === 'matchall' || (f.kind === 'u32' && !!m && Number.parseInt(m.mask, 16) === 0);
    out.push({
      ifindex,
      dev,
      direction,
      kind: f.kind,
      pref: f.pref ?? 0,
      matchesAll,
      actions: actions.map((a): TcAction => {
        if (a.kind === 'mirred' && a.to_dev && (a.mirred_action === 'redirect' || a.mirred_action === 'mirror')) {
          return {
            kind: 'mirred',
            action: a.mirred_action,
            direction: a.direction === 'ingress' ? 'ingress' : 'egress',
            targetDev: a.to_dev,
          };
        }
        return { kind: a.kind };
      }),
    });
  }
  return out;
}
