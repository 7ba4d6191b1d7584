import type { Static, TSchema } from 'typebox';
import { validate } from '@hoplens/model';
import { readJsonFile } from './readJsonFile.ts';
import { UsageError } from './usageError.ts';

/** A JSON config file checked against its schema; any problem is a usage error naming the file. */
export async function readConfig<T extends TSchema>(file: string, what: string, schema: T): Promise<Static<T>> {
  return checkedConfig(file, what, schema, await readJsonFile(file, what));
}

/** A config file's parsed value checked against its schema, as readConfig checks it. */
export function checkedConfig<T extends TSchema>(file: string, what: string, schema: T, value: unknown): Static<T> {
  try {
    return validate(schema, value, what, { once: true });
  } catch (e) {
    throw e instanceof UsageError ? e : new UsageError(`${file}: ${(e as Error).message}`);
  }
}
