import { access } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { HostMap } from '@hoplens/model';
import { discoverNetns } from './discoverNetns.ts';
import { DEFAULT_PEERPOD_CONFIG } from './readPeerPodIntent.ts';

/**
 * The default source when none is configured: this machine as one host, its own namespace as root
 * and every other one beside it: named ones and those only a process holds (discoverNetns). A
 * machine with cloud-api-adaptor's config is a pod VM, and its intended pod network is read too.
 */
export async function localHostMap(): Promise<HostMap> {
  const { named, held } = await discoverNetns();
  const name =
    hostname()
      .replace(/[^A-Za-z0-9._-]/g, '-')
      .replace(/^[^A-Za-z0-9]+/, '') || 'localhost';
  const podVm = await access(DEFAULT_PEERPOD_CONFIG).then(
    () => true,
    () => false,
  );
  const host = { name, kind: podVm ? ('pod-vm' as const) : ('other' as const), root: null, netns: [...named, ...held] };
  return { hosts: [podVm ? { ...host, peerPodConfig: DEFAULT_PEERPOD_CONFIG } : host] };
}
