/** A parsed IP address: family and value as a bigint, for prefix arithmetic. */
export interface IpValue {
  readonly family: 4 | 6;
  readonly value: bigint;
}

/** Is it an IPv6 link-local unicast address (fe80::/10)? */
export const isLinkLocal6 = (ip: IpValue): boolean => ip.family === 6 && ip.value >> 118n === 0x3fan;

/**
 * Parses dotted IPv4 or IPv6 (with `::` and embedded IPv4). Returns undefined for anything else.
 * IPv4 octets without leading zeros: `010` is 8 to inet_aton (octal) and 10 to others, so an
 * address written so means different hosts to different tools, and is refused.
 */
export function parseIp(text: string): IpValue | undefined {
  return parseIp4(text) ?? parseIp6(text);
}

/**
 * Dotted IPv4 read character by character, with one BigInt at the end: the tracer and the rules
 * parse millions of addresses, and a regular expression and a BigInt per octet cost more than the rest.
 */
function parseIp4(text: string): IpValue | undefined {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 /* . */) {
      if (digits === 0 || dots === 3) return undefined;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
      continue;
    }
    // A digit after a leading 0 is a leading zero; past 255 is not an octet (nor more than 3 digits).
    if (c < 48 || c > 57 || (digits > 0 && octet === 0)) return undefined;
    octet = octet * 10 + (c - 48);
    digits++;
    if (octet > 255) return undefined;
  }
  if (dots !== 3 || digits === 0) return undefined;
  return { family: 4, value: BigInt(value * 256 + octet) };
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
