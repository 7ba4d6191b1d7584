import { readSnapshot, type Snapshot } from '@hoplens/model';
import { readJsonFile } from './readJsonFile.ts';
import { UsageError } from './usageError.ts';

export async function loadSnapshot(path: string | undefined): Promise<Snapshot> {
  if (!path) throw new UsageError('missing SNAPSHOT.json argument');
  const value = await readJsonFile(path, 'snapshot');
  try {
    return readSnapshot(value);
  } catch (e) {
    throw new UsageError(`${path}: ${(e as Error).message}`);
  }
}
