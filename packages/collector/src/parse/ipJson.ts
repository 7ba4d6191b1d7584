import type { TSchema, Static } from 'typebox';
import { validate } from '@hoplens/model';

/** Raised for output that is not the JSON iproute2 prints: named by command, never a crash or silent junk. */
export class ParseError extends Error {
  override readonly name = 'ParseError';
}

/** Parses one command's JSON output and checks it against the shape we rely on. */
export function parseJsonOutput<T extends TSchema>(schema: T, text: string, what: string): Static<T> {
  let value: unknown;
  try {
    // `ip -j` prints nothing at all for an empty table on some versions.
    value = text.trim() === '' ? [] : JSON.parse(text);
  } catch (e) {
    throw new ParseError(`${what}: output is not JSON (${(e as Error).message})`);
  }
  try {
    return validate(schema, value, `${what} output`);
  } catch (e) {
    throw new ParseError((e as Error).message);
  }
}
