/**
 * JSON with every object's keys in sorted order, byte for byte what
 * `JSON.stringify(v, (k, x) => isObject(x) ? Object.fromEntries(Object.keys(x).sort().map(…)) : x)`
 * gives (how parts were hashed before). That replacer ran JavaScript for every value of a 5,000-host
 * snapshot and copied every object; here objects whose keys are already in order are kept as they
 * are, the others copied once in order, and the native JSON.stringify writes the result. As the
 * copy did, keys that are array indices ("0", "42") come first in numeric order: an object always
 * lists them first.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sorted(value));
}

/** `v` with every object's keys in sorted order: `v` itself when they all are already. */
function sorted(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return sorted((v as { toJSON(): unknown }).toJSON());
  if (Array.isArray(v)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x = sorted(v[i]);
      if (x !== v[i]) (copy ??= v.slice())[i] = x;
    }
    return copy ?? v;
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  let inOrder = true;
  for (let i = 1; i < keys.length && inOrder; i++) inOrder = keys[i - 1]! < keys[i]!;
  if (!inOrder) keys.sort();
  let copy: Record<string, unknown> | undefined = inOrder ? undefined : {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const x = sorted(o[key]);
    if (copy === undefined && x !== o[key]) {
      copy = {};
      for (let j = 0; j < i; j++) put(copy, keys[j]!, o[keys[j]!]);
    }
    if (copy !== undefined) put(copy, key, x);
  }
  return copy ?? o;
}

/** Sets an own key, "__proto__" included (hosts name things as they like): it must stay a key, not set a prototype. */
function put(o: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}
