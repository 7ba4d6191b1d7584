import { nftNatStep, numgenVmap } from './nftNat.ts';
import type { JsonValue } from '../../schema/firewall.ts';
import type { Match, Step, Verdict } from '../ir.ts';
import { compileLeft, type Getter } from './nftExpr.ts';
import { txt } from './nftText.ts';
import { firstMatch, patternMatcher } from './patternIndex.ts';
import { scalarOf, toPattern, type Pattern } from './nftValue.ts';

type Obj = { readonly [k: string]: JsonValue };
const isObj = (v: JsonValue | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A table's named sets and maps, by name (their elements as nft printed them). */
export type NamedSets = (name: string) => readonly JsonValue[] | undefined;

/** Statements that neither decide nor change what the tracer follows. */
const PASSIVE = new Set([
  'counter',
  'log',
  'set',
  'map',
  'flow',
  'ct helper',
  'ct timeout',
  'ct expectation',
  'synproxy',
  'dup',
  'fwd',
  'tproxy',
  'secmark',
]);
const NAT = new Set(['snat', 'dnat', 'masquerade', 'redirect']);
/** Statements whose outcome depends on packets before this one or on chance: both ways are tried. */
const EITHER = new Set(['limit', 'quota']);
const FLAG_TYPES = new Set(['ct_state', 'ct_status', 'tcp_flag']);

/**
 * Compiles one nftables rule's statements (as `nft -j` prints them) into steps, in order: matches,
 * mark and notrack effects, verdicts and verdict maps. A statement or expression hoplens does not
 * evaluate becomes an unknown step naming it.
 */
export function compileNftRule(expr: readonly JsonValue[], named: NamedSets): Step[] {
  const steps: Step[] = [];
  for (const e of expr) {
    const step = compileStatement(e, named);
    if (step) steps.push(step);
  }
  return steps;
}

function compileStatement(e: JsonValue, named: NamedSets): Step | undefined {
  if (!isObj(e)) return { kind: 'unknown', why: `the statement ${JSON.stringify(e)} is not understood` };
  const [key = ''] = Object.keys(e);
  const body = e[key];
  const verdict = verdictOf(e);
  if (verdict) return { kind: 'verdict', verdict };
  if (key === 'match' && isObj(body)) return compileMatch(body, named);
  if (key === 'notrack') return { kind: 'notrack' };
  if (key === 'mangle' && isObj(body)) return compileMangle(body);
  if (key === 'vmap' && isObj(body)) return numgenVmap(body.key, body.data, verdictOf) ?? compileVmap(body, named);
  if (key === 'reject') {
    const r = isObj(body) ? body : {};
    const type = typeof r.type === 'string' ? r.type : 'icmp';
    const code = typeof r.expr === 'string' ? r.expr : type === 'tcp reset' ? '' : 'port-unreachable';
    return {
      kind: 'verdict',
      verdict: { kind: 'reject', with: type === 'tcp reset' ? 'tcp reset' : `${type} ${code}` },
    };
  }
  if (PASSIVE.has(key) || (key === 'ct' && isObj(body))) return undefined;
  if (EITHER.has(key))
    return { kind: 'match', test: () => ({ unknown: `\`${key}\`, which depends on earlier packets` }) };
  if (NAT.has(key)) return nftNatStep(key, body);
  if (key === 'xt' && isObj(body)) {
    return {
      kind: 'unknown',
      why: `an iptables ${txt(body.type)} \`${txt(body.name)}\` kept in nftables as an opaque xt expression`,
    };
  }
  if (key === 'queue') return { kind: 'unknown', why: 'the packet is queued to a userspace program' };
  return { kind: 'unknown', why: `the statement \`${key}\` is not evaluated by hoplens` };
}

/** `{"accept": null}`, `{"jump": {"target": "x"}}`, … */
export function verdictOf(e: JsonValue): Verdict | undefined {
  if (!isObj(e)) return undefined;
  if ('accept' in e) return { kind: 'accept' };
  if ('drop' in e) return { kind: 'drop' };
  if ('continue' in e) return { kind: 'continue' };
  if ('return' in e) return { kind: 'return' };
  for (const k of ['jump', 'goto'] as const) {
    const t = e[k];
    if (isObj(t) && typeof t.target === 'string') return { kind: k, chain: t.target };
  }
  return undefined;
}

function compileMatch(m: Obj, named: NamedSets): Step {
  const left = compileLeft(m.left ?? null);
  if ('unsupported' in left)
    return { kind: 'unknown', why: `the expression \`${left.unsupported}\` is not evaluated by hoplens` };
  const op = typeof m.op === 'string' ? m.op : '==';
  const right = m.right ?? null;
  const test = buildTest(left, op, right, named);
  return test
    ? { kind: 'match', test }
    : { kind: 'unknown', why: `the match \`${op} ${JSON.stringify(right).slice(0, 80)}\` is not understood` };
}

function buildTest(left: Getter, op: string, right: JsonValue, named: NamedSets): Match | undefined {
  const type = left.types[0] ?? 'integer';
  // `ct state established,related` and `tcp flags syn`: any of the flags is set.
  if (
    (op === 'in' || op === '==') &&
    left.types.length === 1 &&
    FLAG_TYPES.has(type) &&
    !(typeof right === 'string' && right.startsWith('@'))
  ) {
    const flags = (Array.isArray(right) ? right : isObj(right) && Array.isArray(right.set) ? right.set : [right]).map(
      (f) => scalarOf(type, f),
    );
    if (flags.some((f) => f === undefined)) return undefined;
    const mask = (flags as bigint[]).reduce((a, b) => a | b, 0n);
    const exact = op === '==' && !Array.isArray(right) && !isObj(right);
    return (p, s, env) => {
      const v = left.read(p, s, env);
      if (v === null) return false;
      if ('unknown' in v) return v;
      if (v.kind !== 'num') return false;
      if ((v.known & mask) !== mask) return { unknown: 'the flags are not known' };
      return exact ? v.value === mask : (v.value & mask) !== 0n;
    };
  }
  if (op === '==' || op === '!=' || op === 'in') {
    const pattern = toPattern(left.types, right, named);
    if (!pattern) return undefined;
    const neg = op === '!=';
    const match = patternMatcher(pattern);
    return (p, s, env) => {
      const v = left.read(p, s, env);
      if (v === null) return false;
      if ('unknown' in v) return v;
      const r = match(v);
      if (r === 'unknown') return { unknown: 'the bits it compares are not known for this packet' };
      return neg ? !r : r;
    };
  }
  const bound = scalarOf(type, right);
  if (bound === undefined || !['<', '>', '<=', '>='].includes(op)) return undefined;
  return (p, s, env) => {
    const v = left.read(p, s, env);
    if (v === null) return false;
    if ('unknown' in v) return v;
    if (v.kind !== 'num' || v.known !== (1n << BigInt(v.bits)) - 1n)
      return { unknown: 'the value it compares is not known' };
    return op === '<'
      ? v.value < bound
      : op === '>'
        ? v.value > bound
        : op === '<='
          ? v.value <= bound
          : v.value >= bound;
  };
}

/** `meta mark set VALUE` (a constant, or the mark with `|`, `&`, `^` applied); other mangles are unknown. */
function compileMangle(m: Obj): Step | undefined {
  const key = m.key;
  if (!isObj(key) || !isObj(key.meta)) {
    // `ct mark set …` only labels the connection; the tracer reads no ct mark.
    if (isObj(key) && isObj(key.ct) && key.ct.key === 'mark') return undefined;
    return {
      kind: 'unknown',
      why: `the statement \`${JSON.stringify(key)} set …\` changes the packet, which hoplens does not evaluate`,
    };
  }
  if (key.meta.key === 'priority' || key.meta.key === 'nftrace') return undefined;
  if (key.meta.key !== 'mark')
    return { kind: 'unknown', why: `\`meta ${txt(key.meta.key)} set\` is not evaluated by hoplens` };
  const v = m.value ?? null;
  if (typeof v === 'number') return { kind: 'mark', apply: () => v >>> 0 };
  if (isObj(v)) {
    const [op = ''] = Object.keys(v);
    const args = v[op];
    if (
      Array.isArray(args) &&
      args.length === 2 &&
      isObj(args[0]) &&
      isObj(args[0].meta) &&
      args[0].meta.key === 'mark' &&
      typeof args[1] === 'number'
    ) {
      const n = args[1] >>> 0;
      if (op === '|') return { kind: 'mark', apply: (x) => x | n };
      if (op === '&') return { kind: 'mark', apply: (x) => x & n };
      if (op === '^') return { kind: 'mark', apply: (x) => x ^ n };
    }
  }
  return { kind: 'unknown', why: `\`meta mark set ${JSON.stringify(v)}\` is not evaluated by hoplens` };
}

/** `KEY vmap { k : verdict, … }` or `vmap @map`: the first element the key matches picks the verdict. */
function compileVmap(v: Obj, named: NamedSets): Step {
  const key = compileLeft(v.key ?? null);
  if ('unsupported' in key)
    return { kind: 'unknown', why: `the expression \`${key.unsupported}\` is not evaluated by hoplens` };
  const data = v.data ?? null;
  const elems =
    typeof data === 'string' && data.startsWith('@')
      ? named(data.slice(1))
      : isObj(data) && Array.isArray(data.set)
        ? data.set
        : undefined;
  if (!elems) return { kind: 'unknown', why: `the verdict map ${JSON.stringify(data).slice(0, 60)} was not collected` };
  const entries: { pattern: Pattern; value: Verdict }[] = [];
  for (const el of elems) {
    const pair = Array.isArray(el) ? el : undefined;
    const pattern = pair ? toPattern(key.types, pair[0] ?? null, named) : undefined;
    const verdict = pair ? verdictOf(pair[1] ?? null) : undefined;
    if (!pattern || !verdict)
      return { kind: 'unknown', why: `the verdict map element ${JSON.stringify(el).slice(0, 80)} is not understood` };
    entries.push({ pattern, value: verdict });
  }
  const targets = entries.flatMap((x) => (x.value.kind === 'jump' || x.value.kind === 'goto' ? [x.value.chain] : []));
  const first = firstMatch(entries);
  return {
    kind: 'vmap',
    targets,
    pick: (p, s, env) => {
      const k = key.read(p, s, env);
      if (k === null) return undefined;
      if ('unknown' in k) return k;
      const r = first(k);
      if (r === 'unknown') return { unknown: 'the key of the verdict map is not fully known for this packet' };
      return r?.hit;
    },
  };
}
