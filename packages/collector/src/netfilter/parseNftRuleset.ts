import type { JsonValue, NftChain, NftFamily, NftRule, NftSet, NftTable } from '@hoplens/model';
import { ParseError } from '../parse/parseError.ts';

const FAMILIES = new Set<string>(['ip', 'ip6', 'inet', 'arp', 'bridge', 'netdev']);
/** nft nests a rule's expressions a handful of levels; deeper is not nft's output. */
const MAX_DEPTH = 32;
const MAX_OBJECTS = 5_000_000;

type Obj = { readonly [k: string]: JsonValue };
const isObj = (v: JsonValue | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: JsonValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const int = (v: JsonValue | undefined): number | undefined => (Number.isInteger(v) ? (v as number) : undefined);

/**
 * Parses `nft -j list ruleset` (or `list table`) into tables with their chains, rules and sets,
 * leaving out `skip` (the tables iptables-nft made, read from iptables-nft-save instead). Rule
 * expressions are kept as nft printed them; the tracer reads them. Output that is not nft's JSON
 * is refused.
 */
export function parseNftRuleset(
  text: string,
  skip: (family: string, name: string) => boolean = () => false,
): NftTable[] {
  let json: JsonValue;
  try {
    json = JSON.parse(text) as JsonValue;
  } catch (e) {
    throw new ParseError(`nft -j: output is not JSON (${(e as Error).message})`);
  }
  const list = isObj(json) ? json.nftables : undefined;
  if (!Array.isArray(list)) throw new ParseError('nft -j: no "nftables" list');
  if (list.length > MAX_OBJECTS) throw new ParseError(`nft -j: more than ${MAX_OBJECTS} objects`);
  const tables = new Map<string, NftTable>();
  const tableOf = (o: Obj, nameKey: 'name' | 'table'): NftTable | undefined => {
    const family = str(o.family);
    const name = str(o[nameKey]);
    if (!family || !FAMILIES.has(family) || name === undefined)
      throw new ParseError(`nft -j: object without family or table: ${clip(o)}`);
    if (skip(family, name)) return undefined;
    return tables.get(`${family} ${name}`);
  };
  for (const item of list) {
    if (!isObj(item)) throw new ParseError(`nft -j: not an object: ${clip(item)}`);
    const [kind] = Object.keys(item);
    const o = item[kind ?? ''];
    if (!isObj(o)) continue;
    switch (kind) {
      case 'table': {
        const family = str(o.family);
        const name = str(o.name);
        const handle = int(o.handle);
        if (!family || !FAMILIES.has(family) || name === undefined || handle === undefined) {
          throw new ParseError(`nft -j: malformed table: ${clip(o)}`);
        }
        if (skip(family, name)) continue;
        tables.set(`${family} ${name}`, { family: family as NftFamily, name, handle, chains: [], rules: [], sets: [] });
        break;
      }
      case 'chain': {
        const t = tableOf(o, 'table');
        if (t) t.chains.push(chainOf(o));
        break;
      }
      case 'rule': {
        const t = tableOf(o, 'table');
        if (t) t.rules.push(ruleOf(o));
        break;
      }
      case 'set':
      case 'map': {
        const t = tableOf(o, 'table');
        if (t) t.sets.push(setOf(o));
        break;
      }
      default:
        break; // metainfo, flowtables, named counters, quotas, …: not on a packet's verdict path here
    }
  }
  return [...tables.values()];
}

function chainOf(o: Obj): NftChain {
  const name = str(o.name);
  const handle = int(o.handle);
  if (name === undefined || handle === undefined) throw new ParseError(`nft -j: malformed chain: ${clip(o)}`);
  const chain: NftChain = { name, handle };
  const type = str(o.type);
  if (type !== undefined) chain.type = type;
  const hook = str(o.hook);
  if (hook !== undefined) chain.hook = hook;
  const prio = int(o.prio);
  if (prio !== undefined) chain.prio = prio;
  const policy = str(o.policy);
  if (policy !== undefined) chain.policy = policy;
  const dev = o.dev;
  if (typeof dev === 'string') chain.devices = [dev];
  else if (Array.isArray(dev)) chain.devices = dev.filter((d): d is string => typeof d === 'string');
  return chain;
}

function ruleOf(o: Obj): NftRule {
  const chain = str(o.chain);
  const handle = int(o.handle);
  const expr = o.expr;
  if (chain === undefined || handle === undefined || !Array.isArray(expr)) {
    throw new ParseError(`nft -j: malformed rule: ${clip(o)}`);
  }
  for (const e of expr) checkDepth(e, 1);
  const rule: NftRule = { chain, handle, expr };
  const comment = str(o.comment);
  if (comment !== undefined) rule.comment = comment;
  const counter = expr.map((e) => (isObj(e) ? e.counter : undefined)).find(isObj);
  if (counter) {
    const packets = int(counter.packets);
    const bytes = int(counter.bytes);
    if (packets !== undefined) rule.packets = packets;
    if (bytes !== undefined) rule.bytes = bytes;
  }
  return rule;
}

function setOf(o: Obj): NftSet {
  const name = str(o.name);
  const type = o.type;
  if (name === undefined || type === undefined) throw new ParseError(`nft -j: malformed set: ${clip(o)}`);
  checkDepth(type, 1);
  const elem = Array.isArray(o.elem) ? o.elem : [];
  for (const e of elem) checkDepth(e, 1);
  const set: NftSet = { name, type, elem };
  const handle = int(o.handle);
  if (handle !== undefined) set.handle = handle;
  if (o.map !== undefined) {
    checkDepth(o.map, 1);
    set.map = o.map;
  }
  const flags = o.flags;
  if (Array.isArray(flags)) set.flags = flags.filter((f): f is string => typeof f === 'string');
  else if (typeof flags === 'string') set.flags = [flags];
  return set;
}

function checkDepth(v: JsonValue, depth: number): void {
  if (depth > MAX_DEPTH) throw new ParseError(`nft -j: expressions nested more than ${MAX_DEPTH} deep`);
  if (Array.isArray(v)) for (const x of v) checkDepth(x, depth + 1);
  else if (isObj(v)) for (const x of Object.values(v)) checkDepth(x, depth + 1);
}

const clip = (v: JsonValue | undefined): string => JSON.stringify(v ?? null).slice(0, 80);
