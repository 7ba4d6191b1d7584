import { randomBytes } from 'node:crypto';

/** Every lab namespace starts with this, so `lab down` never touches anything else. */
export const LAB_PREFIX_ROOT = 'hl-';

/** A fresh prefix per run, so parallel runs never collide: `hl-` + 6 hex digits + `-`. */
export const newLabPrefix = (): string => `${LAB_PREFIX_ROOT}${randomBytes(3).toString('hex')}-`;

/** Where a lab run keeps the files its hosts would have; `lab down` removes it with the namespaces. */
export const LAB_FILES_ROOT = '/run/hoplens-lab';
export const labFilesDir = (prefix: string): string => `${LAB_FILES_ROOT}/${prefix}`;

/**
 * Prefixes start with `hl-`, keep names short and plain, and end with `-`: `hl-ab` would also name
 * the namespaces of a lab `hl-abc-`, and `lab down` would remove them.
 */
export const isLabPrefix = (p: string): boolean => /^hl-[a-z0-9][a-z0-9-]{0,10}-$/.test(p);

/**
 * Whether namespace `name` is the lab `prefix`'s, among the labs that are up (`labs`: their
 * prefixes): it starts with the prefix, and not with a longer one of another lab (`hl-a-` and
 * `hl-a-b-` may both be up, and `hl-a-b-worker` is the second's).
 */
export const ofLab = (name: string, prefix: string, labs: readonly string[]): boolean =>
  name.startsWith(prefix) &&
  !labs.some((other) => other.length > prefix.length && other.startsWith(prefix) && name.startsWith(other));
