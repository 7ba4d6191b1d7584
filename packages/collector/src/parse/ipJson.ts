import type { TSchema, Static } from 'typebox';
import { parseIp, parsePrefix, validate } from '@hoplens/model';
import { ParseError } from './parseError.ts';

/** Parses one command's JSON output and checks it against the shape we rely on. */
export function parseJsonOutput<T extends TSchema>(schema: T, text: string, what: string): Static<T> {
  let value: unknown;
  try {
    // `ip -j` prints nothing at all for an empty table on some versions.
    value = text.trim() === '' ? [] : parseIpJson(text);
  } catch (e) {
    throw new ParseError(`${what}: output is not JSON (${(e as Error).message})`);
  }
  try {
    return validate(schema, value, `${what} output`);
  } catch (e) {
    throw new ParseError((e as Error).message);
  }
}

/**
 * JSON as iproute2 prints it. Its writer escapes quotes, backslashes and \t\n\r\f\b in strings
 * but prints other control bytes raw (an interface alias set to "a\x1bb" comes out with the ESC
 * byte in it), which JSON.parse refuses: such output is read with those bytes escaped, so the
 * value is the one the kernel holds and the rest of the namespace is not lost.
 */
function parseIpJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const escaped = escapeRawControls(text);
    if (escaped === text) throw e;
    return JSON.parse(escaped);
  }
}

/** Control characters inside string literals as \u escapes; everything else as it was. */
function escapeRawControls(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const code = c.charCodeAt(0);
    if (inString && c === '\\') {
      out += c + (text[++i] ?? '');
      continue;
    }
    if (c === '"') inString = !inString;
    out += inString && code < 0x20 ? `\\u${code.toString(16).padStart(4, '0')}` : c;
  }
  return out;
}

const MAC = /^[0-9a-f]{2}(?::[0-9a-f]{2})+$/i;

/** A value of the right type but the wrong form is corrupt output too: refused, naming the field. */
export function checked(what: string, field: string, value: string, ok: (v: string) => boolean): string {
  if (!ok(value))
    throw new ParseError(`${what} output: ${field} ${JSON.stringify(value.slice(0, 60))} is not well-formed`);
  return value;
}

export const isMac = (v: string): boolean => MAC.test(v);
export const isIp = (v: string): boolean => parseIp(v) !== undefined;
/** `default`, an address, or `address/len`, as `ip route` prints a destination. */
export const isDestination = (v: string): boolean => {
  if (v === 'default') return true;
  const ip = parseIp(v.split('/')[0] ?? '');
  return ip !== undefined && parsePrefix(v, ip.family) !== undefined;
};
