import { problemsText, repeatedHostNames, type HostMap } from '@hoplens/model';
import { isHostMap } from './precompiledHostMap.ts';
import { readJsonFile } from './readJsonFile.ts';
import { UsageError } from './usageError.ts';

/**
 * A host map file checked against its schema, as readConfig checks one, any problem a usage error
 * naming the file. A map that passes the check compiled at build is taken as it is; only one that
 * fails loads the schema library, for validate() to name its problems (hostMapProblems.ts), so that
 * `collect` of a good map never loads it. Two hosts of one name are refused (repeatedHostNames).
 * `text`, where given, is the file's, already read.
 */
export async function readHostMap(file: string, text?: string): Promise<HostMap> {
  const value = await readJsonFile(file, 'host map', text);
  const map = isHostMap(value) ? value : (await import('./hostMapProblems.ts')).hostMapProblems(file, value);
  const repeated = repeatedHostNames(map.hosts);
  if (repeated.length > 0) throw new UsageError(`${file}: ${problemsText('host map', repeated)}`);
  return map;
}
