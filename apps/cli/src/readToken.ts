import { readFile } from 'node:fs/promises';
import { UsageError } from './usageError.ts';

/**
 * A bearer token from a file (its first line) or else an environment variable; at least 16
 * characters. Undefined when neither gives one. Never printed.
 */
export async function readToken(file: string | undefined, envVar: string): Promise<string | undefined> {
  let token = process.env[envVar];
  if (file) {
    try {
      token = (await readFile(file, 'utf8')).split('\n')[0]?.trim();
    } catch (e) {
      throw new UsageError(
        `cannot read token file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      );
    }
  }
  if (token !== undefined && token.length < 16) throw new UsageError('the token must be at least 16 characters');
  return token || undefined;
}
