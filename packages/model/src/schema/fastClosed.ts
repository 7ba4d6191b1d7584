import type { TSchema } from 'typebox';

/**
 * The same schema, accepting exactly the same values, with each closed object that has optional
 * fields checked by a key lookup instead of TypeBox's compiled regular expression. TypeBox compiles
 * `additionalProperties: false` on such an object to a regex test of every key: on a 150,000-pod
 * snapshot (~4 million objects) that made the schema check 5× slower than the open one. Objects whose
 * fields are all required keep TypeBox's own fast check (a count of own keys). Only for compiling:
 * error messages still come from the schema itself (validate.ts).
 */
export function withFastClosedObjects<T extends TSchema>(schema: T): T {
  // unevaluatedProperties counts the keys additionalProperties evaluated: a refinement does not.
  if (JSON.stringify(schema).includes('"unevaluatedProperties"')) return schema;
  return rewrite(schema) as T;
}

function rewrite(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewrite);
  if (typeof node !== 'object' || node === null) return node;
  // Copied with TypeBox's hidden markers (`~kind`, `~optional`), which are not enumerable.
  const descriptors = Object.getOwnPropertyDescriptors(node);
  for (const d of Object.values(descriptors)) if ('value' in d) d.value = rewrite(d.value);
  const copy = Object.defineProperties({}, descriptors) as Record<string, unknown>;
  const properties = copy.properties as Record<string, unknown> | undefined;
  const required = (copy.required as readonly string[] | undefined) ?? [];
  if (
    copy.additionalProperties !== false ||
    properties === undefined ||
    copy.patternProperties !== undefined ||
    copy['~refine'] !== undefined ||
    Object.keys(properties).every((k) => required.includes(k))
  )
    return copy;
  delete copy.additionalProperties;
  Object.defineProperty(copy, '~refine', { value: [onlyKeys(Object.keys(properties))], enumerable: false });
  return copy;
}

/**
 * TypeBox's `additionalProperties: false` as a refinement: every own property name (enumerable or
 * not, as TypeBox lists them) is one of `keys`. Arrays and non-objects pass, as the keyword
 * does not apply to them (the object's `type` refuses them).
 */
export function onlyKeys(keys: readonly string[]): OnlyKeys {
  const known = new Set(keys);
  const refine: OnlyKeys = {
    check: (v) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return true;
      const names = Object.getOwnPropertyNames(v);
      if (names.length > known.size) return false;
      for (const name of names) if (!known.has(name)) return false;
      return true;
    },
    error: () => 'has a field this format does not define',
  };
  keysOf.set(refine, keys);
  return refine;
}

/** The refinement onlyKeys makes. */
export interface OnlyKeys {
  readonly check: (v: unknown) => boolean;
  readonly error: () => string;
}

const keysOf = new WeakMap<object, readonly string[]>();

/** The keys an onlyKeys refinement allows (undefined for any other value): to write it out as code. */
export function onlyKeysOf(refine: unknown): readonly string[] | undefined {
  return typeof refine === 'object' && refine !== null ? keysOf.get(refine) : undefined;
}
