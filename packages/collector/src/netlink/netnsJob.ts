/** A namespace to collect: a name under /run/netns, or null for the collector's own. */
export interface NetnsJob {
  readonly name: string | null;
  readonly root: boolean;
  /** For a namespace only a process holds: the file to enter it by (/proc/PID/ns/net). */
  readonly path?: string;
  readonly holder?: string;
}

/** The file a namespace is entered by: its own path, its name under /run/netns, or ours ("-"). */
export const netnsFile = (job: NetnsJob): string => job.path ?? (job.name === null ? '-' : `/run/netns/${job.name}`);

/** What a host map entry says of its namespaces. */
interface NamespacesOf {
  readonly root: string | null;
  readonly netns: readonly (string | { readonly name: string; readonly path: string; readonly holder?: string })[];
}

/** A host map's namespaces in the order they are collected: each host's root, then its others. */
export const hostMapJobs = <E extends NamespacesOf>(hosts: readonly E[]): (NetnsJob & { entry: E })[] =>
  hosts.flatMap((entry) => [
    { entry, name: entry.root, root: true },
    ...entry.netns.map((ns) =>
      typeof ns === 'string' ? { entry, name: ns, root: false } : { entry, root: false, ...ns },
    ),
  ]);
