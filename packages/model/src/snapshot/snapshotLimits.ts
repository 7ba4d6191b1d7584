/**
 * What one snapshot may hold (README, Security). Every figure leaves room for a 5,000-node cluster
 * with 30 pods each (`hoplens lab synth --nodes 5000 --pods-per-node 30`: 50,030 hosts — 30% of
 * the pods are peer pods, each in a VM of its own — 150,000 pods, 368 MB of JSON) and for dense nodes (1,000 pods, 100,000 routes, 65,536 neighbours), while
 * keeping the analysis of the largest admissible snapshot within the server's memory.
 */
export const SNAPSHOT_LIMITS = {
  hosts: 100_000,
  pods: 500_000,
  /** Namespaces in all, and per host. */
  namespaces: 500_000,
  namespacesPerHost: 4_096,
  /** Interfaces in all, and per namespace. */
  links: 2_000_000,
  linksPerNamespace: 16_384,
  addressesPerNamespace: 16_384,
  routesPerNamespace: 100_000,
  neighborsPerNamespace: 65_536,
  fdbPerNamespace: 65_536,
  tcFiltersPerNamespace: 16_384,
  rulesPerNamespace: 32_768,
  rawOutputsPerNamespace: 256,
  errorsPerHost: 4_096,
  /** Addresses, routes, neighbours, fdb entries, tc filters and policy rules of all namespaces together. */
  entries: 10_000_000,
} as const;

export type SnapshotLimit = keyof typeof SNAPSHOT_LIMITS;

/** A snapshot (or dump) larger than a limit: refused before any work proportional to its size. */
export class SnapshotLimitError extends Error {
  override readonly name = 'SnapshotLimitError';
  constructor(
    readonly limit: SnapshotLimit,
    readonly actual: number,
  ) {
    super(`too large: ${actual} ${limit}, at most ${SNAPSHOT_LIMITS[limit]} (limit "${limit}")`);
  }
}

const PER_NAMESPACE = [
  ['addresses', 'addressesPerNamespace'],
  ['routes', 'routesPerNamespace'],
  ['neighbors', 'neighborsPerNamespace'],
  ['fdb', 'fdbPerNamespace'],
  ['tcFilters', 'tcFiltersPerNamespace'],
  ['rules', 'rulesPerNamespace'],
  ['raw', 'rawOutputsPerNamespace'],
] as const;

/**
 * Counts what a parsed snapshot or dump (`{hosts, pods?}`, not yet validated: anything may be
 * missing or of another type) holds, and throws a SnapshotLimitError at the first limit passed. Runs
 * before schema validation, so an oversized import costs one counting pass, not an analysis.
 */
export function checkSnapshotLimits(value: unknown): void {
  new SnapshotLimitCount().add(value);
}

/**
 * checkSnapshotLimits over a snapshot that arrives in pieces (a collection's answers): each piece's
 * hosts counted on top of the pieces before, so the totals hold for the snapshot they make.
 */
export class SnapshotLimitCount {
  private hosts = 0;
  private namespaces = 0;
  private links = 0;
  private entries = 0;

  /** Hosts counted so far. */
  get hostCount(): number {
    return this.hosts;
  }

  /**
   * Counts one piece if the totals stay within the limits with it; otherwise counts nothing of it
   * and says which limit it would pass (a collection fails that source alone).
   */
  addIfWithin(value: unknown): SnapshotLimitError | undefined {
    const { hosts, namespaces, links, entries } = this;
    try {
      this.add(value);
      return undefined;
    } catch (e) {
      if (!(e instanceof SnapshotLimitError)) throw e;
      this.hosts = hosts;
      this.namespaces = namespaces;
      this.links = links;
      this.entries = entries;
      return e;
    }
  }

  /** Counts one piece (`{hosts, pods?}`, unchecked); throws a SnapshotLimitError at the first limit passed. */
  add(value: unknown): void {
    // Not an object: nothing to count, and the schema says what is wrong with it.
    if (typeof value !== 'object' || value === null) return;
    const root = value as { hosts?: unknown; pods?: unknown };
    const hosts = arrayOf(root.hosts);
    over('hosts', (this.hosts += hosts.length));
    over('pods', arrayOf(root.pods).length);
    for (const host of hosts) {
      const h = (host ?? {}) as { namespaces?: unknown; errors?: unknown };
      over('errorsPerHost', arrayOf(h.errors).length);
      const nss = arrayOf(h.namespaces);
      over('namespacesPerHost', nss.length);
      over('namespaces', (this.namespaces += nss.length));
      for (const ns of nss) {
        const n = (ns ?? {}) as Record<string, unknown>;
        const nsLinks = arrayOf(n.links).length;
        over('linksPerNamespace', nsLinks);
        over('links', (this.links += nsLinks));
        for (const [field, limit] of PER_NAMESPACE) {
          const count = arrayOf(n[field]).length;
          over(limit, count);
          if (field !== 'raw') this.entries += count;
        }
        over('entries', this.entries);
      }
    }
  }
}

const arrayOf = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : []);

function over(limit: SnapshotLimit, actual: number): void {
  if (actual > SNAPSHOT_LIMITS[limit]) throw new SnapshotLimitError(limit, actual);
}
