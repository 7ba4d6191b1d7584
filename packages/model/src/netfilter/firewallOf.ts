import type { NetnsEntry, SnapshotIndex } from '../topology/snapshotIndex.ts';
import { compileFirewall, type CompiledFirewall } from './compileFirewall.ts';

const caches = (): Map<NetnsEntry, CompiledFirewall | undefined> => new Map();

/**
 * A namespace's compiled firewall, built the first time a trace or rule asks and kept for the
 * snapshot (so a 10,000-rule namespace is compiled once). Undefined where the snapshot has no
 * firewall data (taken before hoplens collected it).
 */
export function firewallOf(index: SnapshotIndex, ns: NetnsEntry): CompiledFirewall | undefined {
  const fw = ns.ns.firewall;
  if (!fw) return undefined;
  const cache = index.derive(caches);
  if (cache.has(ns)) return cache.get(ns);
  const compiled = compileFirewall(ns.ref.host, ns.ns, fw);
  cache.set(ns, compiled);
  return compiled;
}
