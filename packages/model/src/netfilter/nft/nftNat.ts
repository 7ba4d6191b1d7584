import { parseIp } from '../../net/ip.ts';
import type { JsonValue } from '../../schema/firewall.ts';
import type { NatTarget, Step, Verdict } from '../ir.ts';

type Obj = { readonly [k: string]: JsonValue };
const isObj = (v: JsonValue | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * An nftables NAT statement (`dnat to 10.244.1.5:8080`, `snat`, `masquerade`, `redirect to :8080`,
 * as `nft -j` prints them): one address and port, or unknown naming it (an address from a map or a
 * range, where the kernel picks).
 */
export function nftNatStep(key: string, body: JsonValue | undefined): Step {
  const unknown = (why: string): Step => ({ kind: 'unknown', why: `${key} ${why} is not evaluated by hoplens` });
  const nat = (t: NatTarget): Step => ({ kind: 'nat', nat: t });
  const b: Obj = isObj(body) ? body : {};
  const port =
    b.port === undefined ? undefined : typeof b.port === 'number' && b.port >= 1 && b.port <= 65535 ? b.port : null;
  if (port === null) return unknown(`to port ${JSON.stringify(b.port).slice(0, 60)}`);
  const extra = Object.keys(b).find((k) => !['addr', 'port', 'family', 'flags'].includes(k));
  if (extra) return unknown(`with \`${extra}\``);
  if (key === 'masquerade') return nat({ kind: 'masquerade' });
  if (key === 'redirect') return nat({ kind: 'redirect', ...(port === undefined ? {} : { port }) });
  const addr = typeof b.addr === 'string' && parseIp(b.addr) ? b.addr : undefined;
  if (!addr) return unknown(`to ${JSON.stringify(b.addr ?? null).slice(0, 60)}`);
  return nat({ kind: key === 'dnat' ? 'dnat' : 'snat', addr, ...(port === undefined ? {} : { port }) });
}

/**
 * `numgen random mod N [offset O] vmap { 0 : goto a, 1 : goto b }` (kube-proxy's endpoint pick): each
 * value equally likely; undefined for any other key, left to the general verdict map.
 */
export function numgenVmap(
  key: JsonValue | undefined,
  data: JsonValue | undefined,
  verdictOf: (e: JsonValue) => Verdict | undefined,
): Step | undefined {
  const ng = isObj(key) ? key.numgen : undefined;
  if (!isObj(ng)) return undefined;
  const mod = ng.mod;
  const offset = ng.offset ?? 0;
  if (ng.mode !== 'random' || typeof mod !== 'number' || typeof offset !== 'number' || mod < 1)
    return { kind: 'unknown', why: `\`numgen ${JSON.stringify(ng).slice(0, 60)}\` is not evaluated by hoplens` };
  const set = isObj(data) && Array.isArray(data.set) ? data.set : undefined;
  if (!set) return { kind: 'unknown', why: 'a numgen verdict map from a named map is not evaluated by hoplens' };
  const ways: { readonly value: number; readonly verdict: Verdict }[] = [];
  for (const el of set) {
    const pair = Array.isArray(el) ? el : undefined;
    const value = pair?.[0];
    const verdict = pair ? verdictOf(pair[1] ?? null) : undefined;
    if (typeof value !== 'number' || !verdict)
      return { kind: 'unknown', why: `the numgen map element ${JSON.stringify(el).slice(0, 80)} is not understood` };
    if (value >= offset && value < offset + mod && !ways.some((w) => w.value === value)) ways.push({ value, verdict });
  }
  return { kind: 'random', mod, ways };
}
