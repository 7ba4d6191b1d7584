import { readFile } from 'node:fs/promises';
import { UsageError } from './usageError.ts';

/**
 * Reads and parses a JSON file (or `read`, its text already read), turning every failure into a
 * one-line usage error.
 */
export async function readJsonFile(path: string, what: string, read?: string): Promise<unknown> {
  let text: string;
  try {
    text = read ?? (await readFile(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new UsageError(`${what} ${path} is not JSON: ${(e as Error).message}`);
  }
}
