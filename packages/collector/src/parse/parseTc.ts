import Type, { type Static } from 'typebox';
import { validate, type TcAction, type TcFilter } from '@hoplens/model';
import { matchesAll } from '../tcMatchesAll.ts';
import { ethertypeOf } from '../tcNames.ts';
import { parseJsonOutput } from './ipJson.ts';
import { ParseError } from './parseError.ts';
import { parseJsonKeepingDuplicates } from './jsonDuplicates.ts';
import { parseClassifier } from './parseTcClassifier.ts';

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

const TcActionJsonSchema = Type.Object({
  kind: Type.String(),
  mirred_action: Type.Optional(Type.String()),
  direction: Type.Optional(Type.String()),
  to_dev: Type.Optional(Type.String()),
  control_action: Type.Optional(Type.Object({ type: Type.String(), chain: Type.Optional(Type.Integer()) })),
  prob: Type.Optional(
    Type.Object({
      random_type: Type.String(),
      control_action: Type.Object({ type: Type.String() }),
      val: Type.Integer(),
    }),
  ),
});

const TcActionsJsonSchema = Type.Array(TcActionJsonSchema);

const TcFilterJsonSchema = Type.Array(
  Type.Object({
    kind: Type.String(),
    pref: Type.Optional(Type.Integer()),
    protocol: Type.Optional(Type.String()),
    chain: Type.Optional(Type.Integer({ minimum: 0 })),
    options: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  }),
);

/**
 * Parses `tc -j filter show dev DEV ingress|egress`: every filter with options, with its
 * classifier's data (u32 keys and hash tables, BPF bytecode or program, flower keys) and actions.
 * tc prints one `"match"` per u32 key under the same name, so the output is read keeping
 * duplicate keys. The first entry of each preference, without options, only names the classifier.
 */
export function parseTcFilters(
  text: string,
  dev: string,
  ifindex: number,
  direction: 'ingress' | 'egress',
): TcFilter[] {
  let json: unknown;
  try {
    json = text.trim() === '' ? [] : parseJsonKeepingDuplicates(text);
  } catch (e) {
    throw new ParseError(`tc -j filter: output is not JSON (${(e as Error).message})`);
  }
  let entries: Static<typeof TcFilterJsonSchema>;
  try {
    entries = validate(TcFilterJsonSchema, json, 'tc -j filter output');
  } catch (e) {
    throw new ParseError((e as Error).message);
  }
  const out: TcFilter[] = [];
  for (const f of entries) {
    const options = f.options;
    if (!options) continue;
    const protocol = f.protocol === undefined ? undefined : ethertypeOf(f.protocol);
    if (f.protocol !== undefined && protocol === undefined) {
      throw new ParseError(`tc -j filter output: protocol ${JSON.stringify(f.protocol.slice(0, 20))} is not known`);
    }
    const classifier = parseClassifier(f.kind, options);
    let actions: Static<typeof TcActionJsonSchema>[];
    try {
      actions = validate(TcActionsJsonSchema, options.actions ?? [], 'tc -j filter output (actions)');
    } catch (e) {
      throw new ParseError((e as Error).message);
    }
    out.push({
      ifindex,
      dev,
      direction,
      kind: f.kind,
      pref: f.pref ?? 0,
      ...(protocol === undefined ? {} : { protocol }),
      chain: f.chain ?? 0,
      matchesAll: matchesAll(classifier),
      classifier,
      actions: actions.map(parseAction),
    });
  }
  return out;
}

function parseAction(a: Static<typeof TcActionJsonSchema>): TcAction {
  const control = a.control_action?.type;
  if (a.kind === 'mirred' && a.to_dev && (a.mirred_action === 'redirect' || a.mirred_action === 'mirror')) {
    return {
      kind: 'mirred',
      action: a.mirred_action,
      direction: a.direction === 'ingress' ? 'ingress' : 'egress',
      targetDev: a.to_dev,
      ...(control === undefined ? {} : { control }),
    };
  }
  if (a.kind === 'gact' && control !== undefined) {
    const chain = a.control_action?.chain;
    const prob = a.prob;
    return {
      kind: 'gact',
      control,
      ...(chain === undefined ? {} : { chain }),
      ...(prob && prob.random_type !== 'none'
        ? { random: { type: prob.random_type, control: prob.control_action.type, val: prob.val } }
        : {}),
    };
  }
  return { kind: a.kind };
}
