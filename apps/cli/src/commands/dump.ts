import { parseArgs } from 'node:util';
import { collectLocal, createDump, localHostMap } from '@hoplens/collector';
import { collectionJson } from '../collectionJson.ts';
import { writeCollectWarnings } from '../collectWarnings.ts';
import { readHostMap } from '../readHostMap.ts';
import { tuneForOneShot } from '../shortLived.ts';
import { UsageError } from '../usageError.ts';
import { writeJsonFile } from '../writeJsonFile.ts';

/**
 * `hoplens dump [--out FILE] [--hosts HOSTMAP.json] [--backend netlink|iproute2]`: this machine's
 * inventory as a file for offline analysis (the sosreport case), to import into a server or list
 * as a `dump` source. Without --hosts, this machine's own namespace and every named one.
 */
export async function dump(args: string[]): Promise<void> {
  tuneForOneShot();
  const { values } = parseArgs({
    args,
    options: {
      out: { type: 'string' },
      hosts: { type: 'string' },
      backend: { type: 'string', default: 'iproute2' },
    },
    strict: true,
  });
  const backend = values.backend;
  if (backend !== 'netlink' && backend !== 'iproute2')
    throw new UsageError(`--backend is netlink or iproute2, not ${JSON.stringify(backend)}`);
  const map = values.hosts ? await readHostMap(values.hosts) : await localHostMap();
  const hosts = await collectLocal(map, { backend });
  writeCollectWarnings(hosts);
  const dumped = createDump(hosts);
  if (values.out) writeJsonFile(values.out, dumped, 0o600);
  else process.stdout.write(collectionJson(dumped, process.stdout.isTTY));
}
