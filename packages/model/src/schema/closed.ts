import type { TSchema } from 'typebox';

/**
 * The same schema with every object closed (`additionalProperties: false`) unless it says
 * otherwise: data entering from outside may hold no field the format does not define, so nothing
 * unknown is stored or served (a 30 MB junk field, one nested 5,000 levels deep).
 */
export function closedSchema<T extends TSchema>(schema: T): T {
  return close(schema) as T;
}

function close(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(close);
  if (typeof node !== 'object' || node === null) return node;
  // Copied with TypeBox's hidden markers (`~kind`, `~optional`), which are not enumerable.
  const descriptors = Object.getOwnPropertyDescriptors(node);
  for (const d of Object.values(descriptors)) if ('value' in d) d.value = close(d.value);
  const copy = Object.defineProperties({}, descriptors) as Record<string, unknown>;
  if (copy.type === 'object' && copy.properties !== undefined && copy.additionalProperties === undefined)
    copy.additionalProperties = false;
  return copy;
}
