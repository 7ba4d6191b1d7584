import type { Static, TSchema } from 'typebox';
import Value from 'typebox/value';

/** Raised when data crossing an edge does not match its schema. Lists the first problems by path. */
export class SchemaError extends Error {
  override readonly name = 'SchemaError';
  constructor(
    what: string,
    readonly problems: readonly string[],
  ) {
    super(
      `invalid ${what}: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (+${problems.length - 5} more)` : ''}`,
    );
  }
}

/** Checks unknown input against a schema and returns it typed, or throws a SchemaError. */
export function validate<T extends TSchema>(schema: T, value: unknown, what: string): Static<T> {
  if (Value.Check(schema, value)) return value;
  const problems = Value.Errors(schema, value).map((e) => `${e.instancePath || '/'} ${e.message}`);
  throw new SchemaError(what, problems.length > 0 ? problems : ['does not match the schema']);
}
