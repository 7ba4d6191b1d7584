/** A parsed IP address: family and value as a bigint, for prefix arithmetic. */
export interface IpValue {
  readonly family: 4 | 6;
  readonly value: bigint;
}

/**
 * Octets without leading zeros: `010` is 8 to inet_aton (octal) and 10 to others, so an address
 * written so means different hosts to different tools, and is refused.
 */
const OCTET = '(0|[1-9]\\d{0,2})';
const V4 = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}$`);

/** Parses dotted IPv4 or IPv6 (with `::` and embedded IPv4). Returns undefined for anything else. */
export function parseIp(text: string): IpValue | undefined {
  const v4 = V4.exec(text);
  if (v4) {
    let value = 0n;
    for (const part of v4.slice(1)) {
      const n = Number(part);
      if (n > 255) return undefined;
      value = (value << 8n) | BigInt(n);
    }
    return { family: 4, value };
  }
  return parseIp6(text);
}

function parseIp6(text: string): IpValue | undefined {
  const zone = text.indexOf('%');
  const bare = zone >= 0 ? text.slice(0, zone) : text;
  if (!bare.includes(':')) return undefined;
  const halves = bare.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string | undefined): number[] | undefined => {
    if (!half) return [];
    const out: number[] = [];
    for (const g of half.split(':')) {
      if (g.includes('.')) {
        const v4 = parseIp(g);
        if (!v4 || v4.family !== 4) return undefined;
        out.push(Number(v4.value >> 16n), Number(v4.value & 0xffffn));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
        out.push(parseInt(g, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  if (!head || !tail) return undefined;
  const fill = 8 - head.length - tail.length;
  if ((halves.length === 1 && fill !== 0) || fill < 0) return undefined;
  const all = [...head, ...new Array<number>(halves.length === 2 ? fill : 0).fill(0), ...tail];
  let value = 0n;
  for (const g of all) value = (value << 16n) | BigInt(g);
  return { family: 6, value };
}

/** A route destination: `default`, `a.b.c.d/n`, or a bare host address. */
export interface Prefix {
  readonly family: 4 | 6;
  readonly value: bigint;
  readonly length: number;
}

export function parsePrefix(dst: string, family: 4 | 6): Prefix | undefined {
  if (dst === 'default') return { family, value: 0n, length: 0 };
  const [addr, len] = dst.split('/');
  const ip = parseIp(addr ?? '');
  if (!ip) return undefined;
  const bits = ip.family === 4 ? 32 : 128;
  const length = len === undefined ? bits : Number(len);
  if (!Number.isInteger(length) || length < 0 || length > bits) return undefined;
  return { family: ip.family, value: ip.value, length };
}

export function prefixContains(prefix: Prefix, ip: IpValue): boolean {
  if (prefix.family !== ip.family) return false;
  const bits = BigInt(prefix.family === 4 ? 32 : 128);
  const shift = bits - BigInt(prefix.length);
  return prefix.value >> shift === ip.value >> shift;
}

export const isBroadcastMac = (mac: string): boolean => mac.toLowerCase() === 'ff:ff:ff:ff:ff:ff';
/** The group bit: the lowest bit of the first octet. */
export const isMulticastMac = (mac: string): boolean => (parseInt(mac.slice(0, 2), 16) & 1) === 1;
export const sameMac = (a: string | null | undefined, b: string | null | undefined): boolean =>
  !!a && !!b && a.toLowerCase() === b.toLowerCase();
