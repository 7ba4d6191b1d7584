import type { HostMap, NetnsRef, ProbeTarget } from '@hoplens/model';
import { netnsFile } from '../netlink/netnsJob.ts';

/** A watched interface, with the file its namespace is entered by on this machine. */
export interface ResolvedTarget {
  readonly target: ProbeTarget;
  readonly file: string;
}

/** Thrown when a probe names a namespace this machine's host map does not have. */
export class ProbeInputError extends Error {
  override readonly name: string = 'ProbeInputError';
}

/**
 * The file of a namespace of this machine's host map ("-" for the collector's own), or a
 * ProbeInputError: a probe only ever enters namespaces of its own inventory, whatever it is asked.
 */
export function netnsFileOf(map: HostMap, ref: NetnsRef): string {
  const host = map.hosts.find((h) => h.name === ref.host);
  if (!host) throw new ProbeInputError(`no host ${ref.host} here`);
  if (ref.netns === host.root) return netnsFile({ name: host.root, root: true });
  for (const ns of host.netns) {
    if (typeof ns === 'string' && ns === ref.netns) return netnsFile({ name: ns, root: false });
    if (typeof ns !== 'string' && ns.name === ref.netns) return ns.path;
  }
  throw new ProbeInputError(`no namespace ${ref.netns ?? '(root)'} on host ${ref.host} here`);
}
