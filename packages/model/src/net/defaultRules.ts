import type { PolicyRule } from '../schema/inventory.ts';

/**
 * The kernel's policy rules in a namespace nobody changed (local 0, main 32766, default 32767, for
 * IPv4 and IPv6), as `ip rule` lists them: what a collection reads there, and what the tracer
 * takes for a family whose collected rules hold none of its own.
 */
export const DEFAULT_RULES: readonly PolicyRule[] = (['inet', 'inet6'] as const).flatMap((family) =>
  (
    [
      [0, 'local'],
      [32766, 'main'],
      [32767, 'default'],
    ] as const
  ).map(([priority, table]): PolicyRule => ({ family, priority, invert: false, action: 'lookup', table })),
);
