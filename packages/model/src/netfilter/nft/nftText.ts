import type { JsonValue } from '../../schema/firewall.ts';

type Obj = { readonly [k: string]: JsonValue };
const isObj = (v: JsonValue | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const MAX_TEXT = 2000;

/** A JSON value as text: itself for a scalar, its JSON for the rest. */
export const txt = (v: JsonValue | undefined): string =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v ?? null);

/**
 * A rule as nft writes it (`udp dport 4789 counter packets 3 bytes 150 drop`), from its JSON:
 * close to `nft list ruleset` for the common statements, the JSON itself for the rest. Text only,
 * and clipped: a hostile rule cannot grow a page without bound.
 */
export function nftRuleText(expr: readonly JsonValue[]): string {
  const text = expr.map(statement).join(' ');
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}

function statement(e: JsonValue): string {
  if (!isObj(e)) return JSON.stringify(e);
  const [key = ''] = Object.keys(e);
  const b = e[key];
  switch (key) {
    case 'match': {
      if (!isObj(b)) break;
      const op = typeof b.op === 'string' && b.op !== '==' && b.op !== 'in' ? `${b.op} ` : '';
      return `${expression(b.left ?? null)} ${op}${expression(b.right ?? null)}`;
    }
    case 'counter':
      return isObj(b) ? `counter packets ${txt(b.packets)} bytes ${txt(b.bytes)}` : 'counter';
    case 'accept':
    case 'drop':
    case 'continue':
    case 'return':
    case 'notrack':
      return key;
    case 'jump':
    case 'goto':
      return isObj(b) ? `${key} ${txt(b.target)}` : key;
    case 'reject':
      return isObj(b) ? `reject with ${txt(b.type ?? 'icmp')} ${txt(b.expr ?? '')}`.trim() : 'reject';
    case 'log':
      return isObj(b) && typeof b.prefix === 'string' ? `log prefix ${JSON.stringify(b.prefix)}` : 'log';
    case 'mangle':
      return isObj(b) ? `${expression(b.key ?? null)} set ${expression(b.value ?? null)}` : key;
    case 'vmap':
      return isObj(b) ? `${expression(b.key ?? null)} vmap ${expression(b.data ?? null)}` : key;
    case 'xt':
      return isObj(b) ? `xt ${txt(b.type)} ${JSON.stringify(b.name)}` : key;
    case 'masquerade':
    case 'snat':
    case 'dnat':
    case 'redirect':
      return isObj(b) && b.addr !== undefined
        ? `${key} to ${expression(b.addr)}${b.port !== undefined ? `:${expression(b.port)}` : ''}`
        : key;
    default:
      break;
  }
  return JSON.stringify(e);
}

function expression(e: JsonValue): string {
  if (e === null) return 'null';
  if (typeof e === 'string' || typeof e === 'number' || typeof e === 'boolean') return String(e);
  if (Array.isArray(e)) return `{ ${e.map(expression).join(', ')} }`;
  const [key = ''] = Object.keys(e);
  const b = e[key];
  switch (key) {
    case 'payload':
      if (isObj(b) && typeof b.protocol === 'string') return `${b.protocol} ${txt(b.field)}`;
      if (isObj(b)) return `@${txt(b.base)},${txt(b.offset)},${txt(b.len)}`;
      break;
    case 'meta':
      return isObj(b) ? `meta ${txt(b.key)}` : key;
    case 'ct':
      return isObj(b) ? `ct ${b.dir ? `${txt(b.dir)} ` : ''}${txt(b.key)}` : key;
    case 'fib':
      if (isObj(b))
        return `fib ${(Array.isArray(b.flags) ? b.flags : [b.flags]).map(txt).join(' . ')} ${txt(b.result)}`;
      break;
    case 'prefix':
      return isObj(b) ? `${expression(b.addr ?? null)}/${txt(b.len)}` : key;
    case 'range':
      return Array.isArray(b) ? `${expression(b[0] ?? null)}-${expression(b[1] ?? null)}` : key;
    case 'set':
      return Array.isArray(b)
        ? `{ ${b.map((x) => (Array.isArray(x) ? `${expression(x[0] ?? null)} : ${expression(x[1] ?? null)}` : expression(x))).join(', ')} }`
        : key;
    case 'concat':
      return Array.isArray(b) ? b.map(expression).join(' . ') : key;
    case '&':
    case '|':
    case '^':
    case '<<':
    case '>>':
      return Array.isArray(b) ? `${expression(b[0] ?? null)} ${key} ${expression(b[1] ?? null)}` : key;
    case 'accept':
    case 'drop':
    case 'continue':
    case 'return':
      return key;
    case 'jump':
    case 'goto':
      return isObj(b) ? `${key} ${txt(b.target)}` : key;
    case 'numgen':
      return isObj(b) ? `numgen ${txt(b.mode)} mod ${txt(b.mod)}` : key;
    default:
      break;
  }
  return JSON.stringify(e);
}
