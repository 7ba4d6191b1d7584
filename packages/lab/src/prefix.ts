import { randomBytes } from 'node:crypto';

/** Every lab namespace starts with this, so `lab down` never touches anything else. */
export const LAB_PREFIX_ROOT = 'hl-';

/** A fresh prefix per run, so parallel runs never collide: `hl-` + 6 hex digits + `-`. */
export const newLabPrefix = (): string => `${LAB_PREFIX_ROOT}${randomBytes(3).toString('hex')}-`;

/** Where a lab run keeps the files its hosts would have; `lab down` removes it with the namespaces. */
export const LAB_FILES_ROOT = '/run/hoplens-lab';
export const labFilesDir = (prefix: string): string => `${LAB_FILES_ROOT}/${prefix}`;

/** Prefixes must start with `hl-` and keep names short and plain. */
export const isLabPrefix = (p: string): boolean => /^hl-[a-z0-9-]{1,12}$/.test(p);
