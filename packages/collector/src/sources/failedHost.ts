import type { HostInventory } from '@hoplens/model';

/** A host that could not be collected: kept in the snapshot with why, never dropped. */
export function failedHost(name: string, message: string): HostInventory {
  return { name, kind: 'other', collectedAt: new Date().toISOString(), namespaces: [], errors: [{ message }] };
}
