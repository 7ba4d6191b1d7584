import { readdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { HostMap } from '@hoplens/model';

/**
 * The default source when none is configured: this machine as one host, its own namespace as root
 * and every named namespace (/run/netns) beside it.
 */
export async function localHostMap(): Promise<HostMap> {
  const named = await readdir('/run/netns').catch(() => [] as string[]);
  const name =
    hostname()
      .replace(/[^A-Za-z0-9._-]/g, '-')
      .replace(/^[^A-Za-z0-9]+/, '') || 'localhost';
  return { hosts: [{ name, kind: 'other', root: null, netns: named.sort() }] };
}
