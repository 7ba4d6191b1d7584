import { inferPods, readDump, readSnapshot, SNAPSHOT_FORMAT, type Snapshot } from '@hoplens/model';
import { readJsonFile } from './readJsonFile.ts';
import { UsageError } from './usageError.ts';

/** The id a dump read as a snapshot carries: never stored, only analysed here (a snapshot id's shape). */
const DUMP_ID = 'dump-read-by-the-cli-0000';

/**
 * A snapshot file, or a `hoplens dump` file read as the snapshot a server would make of it on
 * import (its pods inferred from its namespaces), so that `findings` and `trace` work on the file
 * `dump` writes for offline analysis. Anything wrong is a usage error naming the file.
 */
export async function loadSnapshot(path: string | undefined): Promise<Snapshot> {
  if (!path) throw new UsageError('missing SNAPSHOT.json argument');
  const value = await readJsonFile(path, 'snapshot');
  try {
    if ((value as { kind?: unknown } | null)?.kind !== 'hoplens-dump') return readSnapshot(value);
    const { createdAt, hosts } = readDump(value);
    return { format: SNAPSHOT_FORMAT, id: DUMP_ID, createdAt, source: 'dump', hosts, pods: inferPods(hosts) };
  } catch (e) {
    throw new UsageError(`${path}: ${(e as Error).message}`);
  }
}
