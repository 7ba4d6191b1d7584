import type { Sysctls } from '@hoplens/model';
import { parseSysctls } from '../parse/parseSysctls.ts';

let last: { readonly text: string; readonly parsed: Sysctls } | undefined;

/**
 * parseSysctls, answered from the namespace read before where the text is the same: on a node the
 * `all` and global lines of every pod read alike (2 distinct texts among a 250-pod node's 251), and
 * parsing each anew was ~3% of a one-shot `collect`'s CPU. The result is shared between those
 * namespaces: a snapshot's parts are never changed once made.
 */
export function parseRepeatedSysctls(text: string): Sysctls {
  if (last?.text !== text) last = { text, parsed: parseSysctls(text) };
  return last.parsed;
}
