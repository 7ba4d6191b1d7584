import type { Static, TSchema } from 'typebox';
import { validate } from '@hoplens/model';
import { readJsonFile } from './readJsonFile.ts';
import { UsageError } from './usageError.ts';

/** A JSON config file checked against its schema; any problem is a usage error naming the file. */
export async function readConfig<T extends TSchema>(file: string, what: string, schema: T): Promise<Static<T>> {
  try {
    return validate(schema, await readJsonFile(file, what), what, { once: true });
  } catch (e) {
    throw e instanceof UsageError ? e : new UsageError(`${file}: ${(e as Error).message}`);
  }
}
