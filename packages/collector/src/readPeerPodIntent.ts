import { readFile, stat } from 'node:fs/promises';
import type { HostInventory } from '@hoplens/model';

/** cloud-api-adaptor writes a few kilobytes; anything this large is not its config. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** Where agent-protocol-forwarder finds its config on a pod VM. */
export const DEFAULT_PEERPOD_CONFIG = '/run/peerpod/apf.json';

/**
 * Adds a pod VM's intended pod network (cloud-api-adaptor's apf.json) to its inventory. A file that
 * is missing, too large or malformed becomes an error on the host; the rest of the host stands.
 */
export async function withPeerPodIntent(host: HostInventory, path: string | undefined): Promise<HostInventory> {
  if (path === undefined) return host;
  try {
    const size = (await stat(path)).size;
    if (size > MAX_CONFIG_BYTES) throw new Error(`${size} bytes, more than a peer-pod config has`);
    // Loaded only for a host map that names a config: its parser checks the file with the schema
    // library, which a collection without one never loads.
    const { parsePeerPodConfig } = await import('./parse/parsePeerPodConfig.ts');
    const peerPod = parsePeerPodConfig(await readFile(path, 'utf8'), path);
    return { ...host, peerPod };
  } catch (e) {
    const message = `peer-pod config ${path}: ${(e as Error).message}`;
    return { ...host, errors: [...host.errors, { message }] };
  }
}
