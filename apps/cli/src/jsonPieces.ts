/**
 * JSON.stringify(value) handed out in pieces, so that a large document is written without ever
 * being one string: `emit` receives consecutive pieces whose concatenation is exactly what
 * JSON.stringify(value) returns (compact form, no replacer). The outer `depth` levels of plain
 * objects and arrays are walked here; deeper ones are serialized by JSON.stringify alone, and
 * anything else (a Date, a Map, a boxed value, an object with toJSON) by JSON.stringify under its
 * own key, so the language's rules (omitted undefined, null for non-finite numbers, toJSON and the
 * key it is given) stay its own.
 *
 * Why: a 250-pod node's snapshot is 1.6 MB of JSON; as one string it is built in pieces by V8 and
 * copied once more to be encoded for the write, each time into memory the process touches for the
 * first time (~1,200 page faults, ~25 µs each in a virtual machine). Pieces of a few KB reuse the
 * same young-generation pages.
 */
export function jsonPieces(value: unknown, emit: (piece: string) => void, depth = 4): void {
  if (depth > 0 && isPlainArray(value)) {
    emit('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) emit(',');
      element(i, value[i], emit, depth - 1);
    }
    emit(']');
    return;
  }
  if (depth > 0 && isPlainObject(value)) {
    emit('{');
    let first = true;
    for (const key of Object.keys(value)) {
      const v = value[key];
      if (!walked(v, depth - 1) && !isPrimitive(v)) {
        // A plain object or array past the walked levels: its text is JSON.stringify's of it alone
        // (no toJSON of its own to hear the key), without a wrapper object made and its text copied.
        if (isPlainArray(v) || isPlainObject(v)) {
          emit(first ? `${JSON.stringify(key)}:${JSON.stringify(v)}` : `,${JSON.stringify(key)}:${JSON.stringify(v)}`);
          first = false;
          continue;
        }
        // Serialized under its own key: toJSON sees the key, and an omitted value leaves `{}`.
        const whole = JSON.stringify({ [key]: v });
        if (whole.length === 2) continue;
        emit(first ? whole.slice(1, -1) : `,${whole.slice(1, -1)}`);
        first = false;
        continue;
      }
      if (v === undefined) continue;
      emit(first ? `${JSON.stringify(key)}:` : `,${JSON.stringify(key)}:`);
      first = false;
      jsonPieces(v, emit, depth - 1);
    }
    emit('}');
    return;
  }
  // What JSON.stringify leaves out at the top (undefined, a function) has no text; nothing to emit.
  const text = JSON.stringify(value) as string | undefined;
  if (text !== undefined) emit(text);
}

/** An array element: what JSON.stringify would leave out of an object is `null` here. */
function element(index: number, v: unknown, emit: (piece: string) => void, depth: number): void {
  if (walked(v, depth) || isPrimitive(v)) {
    if (v === undefined) emit('null');
    else jsonPieces(v, emit, depth);
    return;
  }
  // Past the walked levels, a plain object or array is serialized alone: the same text (see above).
  if (isPlainArray(v) || isPlainObject(v)) {
    emit(JSON.stringify(v));
    return;
  }
  // Serialized under its index, as JSON.stringify would (toJSON sees it): `{"7":…}` less its frame.
  const whole = JSON.stringify({ [index]: v });
  emit(whole.length === 2 ? 'null' : whole.slice(String(index).length + 4, -1));
}

/** Whether jsonPieces walks `v` itself (a plain object or array, levels left). */
const walked = (v: unknown, depth: number): boolean => depth > 0 && (isPlainArray(v) || isPlainObject(v));

const hasToJson = (v: object): boolean => typeof (v as { toJSON?: unknown }).toJSON === 'function';

const isPlainArray = (v: unknown): v is unknown[] => Array.isArray(v) && !hasToJson(v);

/** Values JSON.stringify writes without looking for toJSON: undefined is handled by each caller. */
const isPrimitive = (v: unknown): boolean =>
  v === null || v === undefined || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return (proto === Object.prototype || proto === null) && !hasToJson(v);
}
