import { check, HostMapSchema, type HostMap } from '@hoplens/model';

/**
 * Does the value match the host map's schema? From source, the schema's check; in the built CLI this
 * file is replaced by the same check compiled at build (scripts/precompile.ts), which loads no schema
 * library: `collect` then checks its host map without loading TypeBox.
 */
export const isHostMap = (value: unknown): value is HostMap => check(HostMapSchema, value);
