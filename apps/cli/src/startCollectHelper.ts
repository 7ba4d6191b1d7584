import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { StartedHelper } from '@hoplens/collector';
import { startHelperEarly } from '@hoplens/collector/earlyHelper';
import { COLLECT_OPTIONS } from './commands/collectOptions.ts';

/**
 * Starts `collect`'s netlink helper on its host map before the command's code is loaded, so that
 * the kernel's answers are dumped while Node compiles it (about as long as the dump itself on a
 * 250-pod node). Anything unusual (options that do not parse, another backend, a host map that
 * cannot be read or that names a namespace as its schema would not allow) starts nothing: the
 * command then reports it, or starts the helper itself, as it did before.
 */
export function startCollectHelper(args: string[]): StartedHelper | undefined {
  try {
    const { values } = parseArgs({ args, options: COLLECT_OPTIONS, strict: true });
    if (values.backend !== 'netlink' || values.hosts === undefined) return undefined;
    return startHelperEarly(JSON.parse(readFileSync(values.hosts, 'utf8')) as unknown);
  } catch {
    return undefined;
  }
}
