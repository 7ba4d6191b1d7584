import { SNAPSHOT_LIMITS, type HostInventory } from '@hoplens/model';

type HostErrors = HostInventory['errors'];

/**
 * A host's `errors` and then `more` (what the collection says of it: a refusal, a rename), never
 * more than a host may have (SNAPSHOT_LIMITS.errorsPerHost): past it, the host's own last ones are
 * left out and counted, so that an agent answering with as many errors as allowed cannot make the
 * collection's own notes push the snapshot past its limits (413 for every source).
 */
export function withErrors(errors: HostErrors, more: HostErrors): HostErrors {
  const max = SNAPSHOT_LIMITS.errorsPerHost;
  if (errors.length + more.length <= max) return [...errors, ...more];
  const own = Math.max(0, max - more.length - 1);
  return [
    ...errors.slice(0, own),
    { message: `${errors.length - own} more errors of this host left out: a host may have ${max}` },
    ...more.slice(-(max - own - 1)),
  ];
}
