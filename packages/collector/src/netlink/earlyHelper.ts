import { isNetnsName as nameOk, isNetnsPath as pathOk } from '@hoplens/model/netnsPatterns';
import { builtHelper } from './helperBinary.ts';
import { hostMapJobs, netnsFile } from './netnsJob.ts';
import { startHelper, type StartedHelper } from './startHelper.ts';

type Entry = { root: string | null; netns: (string | { name: string; path: string })[] };

/**
 * The namespace files a host map's collection hands the helper, from a host map not yet checked
 * against its schema: undefined unless every namespace is named as the schema allows (the same
 * patterns), so that nothing is opened that the checked map would not open.
 */
export function earlyNamespaceFiles(json: unknown): string[] | undefined {
  const hosts = (json as { hosts?: unknown } | null)?.hosts;
  if (!Array.isArray(hosts) || hosts.length === 0) return undefined;
  for (const h of hosts as unknown[]) {
    const e = h as Partial<Record<keyof Entry, unknown>> | null;
    if (typeof e !== 'object' || e === null || !(e.root === null || nameOk(e.root)) || !Array.isArray(e.netns))
      return undefined;
    for (const ns of e.netns as unknown[]) {
      const held = ns as { name?: unknown; path?: unknown } | null;
      if (!nameOk(ns) && !(typeof held === 'object' && held !== null && nameOk(held.name) && pathOk(held.path)))
        return undefined;
    }
  }
  return hostMapJobs(hosts as Entry[]).map((job) => netnsFile(job));
}

/**
 * Starts the netlink helper on a host map before the code that reads its output is loaded: a
 * command such as `collect` then has the kernel's answers dumped while Node compiles it. Undefined
 * when the helper is not built yet or the map is not one to start it on; the collection takes this
 * helper only if it runs exactly what it would have started (see takeHelper), and otherwise starts
 * its own.
 */
export function startHelperEarly(hostMapJson: unknown): StartedHelper | undefined {
  const binary = builtHelper('nldump');
  const files = binary === undefined ? undefined : earlyNamespaceFiles(hostMapJson);
  return binary === undefined || files === undefined ? undefined : startHelper(binary, files);
}
