import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { StartedHelper } from '@hoplens/collector';
import { startHelperEarly } from '@hoplens/collector/earlyHelper';
import { COLLECT_OPTIONS } from './commands/collectOptions.ts';

/**
 * What the entry did for `collect` before its code was loaded: the netlink helper it started, and
 * the host map's text, read once (a pipe such as `--hosts /dev/stdin` or `<(…)` has nothing left to
 * read a second time).
 */
export interface EarlyCollect {
  readonly helper?: StartedHelper;
  readonly hostMap?: { readonly path: string; readonly text: string };
}

/**
 * Starts `collect`'s netlink helper on its host map before the command's code is loaded, so that
 * the kernel's answers are dumped while Node compiles it (about as long as the dump itself on a
 * 250-pod node). Anything unusual (options that do not parse, another backend, a host map that
 * cannot be read or that names a namespace as its schema would not allow) starts nothing: the
 * command then reports it, or starts the helper itself, as it did before. A host map it read is
 * handed over with the helper, whether it started one or not.
 */
export function startCollectHelper(args: string[]): EarlyCollect {
  let hosts: string | undefined;
  try {
    const { values } = parseArgs({ args, options: COLLECT_OPTIONS, strict: true });
    if (values.backend !== 'netlink') return {};
    hosts = values.hosts;
  } catch {
    return {};
  }
  if (hosts === undefined) return {};
  let text: string;
  try {
    text = readFileSync(hosts, 'utf8');
  } catch {
    return {};
  }
  const hostMap = { path: hosts, text };
  try {
    const helper = startHelperEarly(JSON.parse(text) as unknown);
    return helper === undefined ? { hostMap } : { hostMap, helper };
  } catch {
    return { hostMap };
  }
}
