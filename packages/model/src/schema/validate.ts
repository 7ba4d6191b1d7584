import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import Value from 'typebox/value';
import { withFastClosedObjects } from './fastClosed.ts';
import { problemsText } from './problemsText.ts';

/** Raised when data crossing an edge does not match its schema. Lists the first problems by path. */
export class SchemaError extends Error {
  override readonly name = 'SchemaError';
  constructor(
    what: string,
    readonly problems: readonly string[],
  ) {
    super(problemsText(what, problems));
  }
}

/**
 * Compiled validators are ~50× faster than the interpreter on a 280 MB snapshot, but compiling
 * evaluates generated code, which the dashboard's CSP forbids (no 'unsafe-eval'): browsers keep the
 * interpreter, everything else (server, CLI) compiles each schema once.
 */
const CAN_COMPILE = !('document' in globalThis);
const compiled = new WeakMap<TSchema, (value: unknown) => boolean>();

/**
 * Gives a schema its check compiled ahead of time (at build: TypeBox's Code of the same schema, as
 * `check` would compile it), so that a short-lived process does not build it again: compiling the
 * snapshot's schema was ~50 ms of a ~220 ms `hoplens findings` of a 2-host snapshot.
 */
export function usePrecompiled(schema: TSchema, checkFn: (value: unknown) => boolean): void {
  compiled.set(schema, checkFn);
}

/** Does the value match the schema? (Compiled where the platform allows it and `compile` says so.) */
export function check(schema: TSchema, value: unknown, compile = true): boolean {
  if (!CAN_COMPILE || !compile) return Value.Check(schema, value);
  let fn = compiled.get(schema);
  if (!fn) {
    const validator = Compile(withFastClosedObjects(schema));
    fn = (v) => validator.Check(v);
    compiled.set(schema, fn);
  }
  return fn(value);
}

/**
 * Checks unknown input against a schema and returns it typed, or throws a SchemaError. `once`: a
 * small value of a schema checked once per process (a config file) is interpreted, not compiled:
 * compiling costs more time, and in a long-lived agent more memory, than it saves.
 */
export function validate<T extends TSchema>(
  schema: T,
  value: unknown,
  what: string,
  { once = false }: { once?: boolean } = {},
): Static<T> {
  // The check above is the schema's own predicate, so the value is a Static<T> from here on.
  if (check(schema, value, !once)) return value as Static<T>;
  const problems = Value.Errors(schema, value).flatMap((e) => {
    // A closed object reports each unknown field (`false` schema) and then itself: keep the first.
    if (e.keyword === 'additionalProperties') return [];
    if (e.keyword === 'boolean' && e.schemaPath.endsWith('/additionalProperties'))
      return [`${e.instancePath} is not a field of this format`];
    return [`${e.instancePath || '/'} ${e.message}`];
  });
  throw new SchemaError(what, problems.length > 0 ? problems : ['does not match the schema']);
}
