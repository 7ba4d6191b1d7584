import type { PolicyRule } from '../schema/inventory.ts';

/**
 * The kernel's policy rules in a namespace nobody changed, as `ip rule` lists them: IPv4 local 0,
 * main 32766, default 32767; IPv6 local 0, main 32766 (fib6_rules_net_init adds no `default`). What a
 * collection reads there, and what the tracer takes for a family whose collected rules hold none of
 * its own.
 */
export const DEFAULT_RULES: readonly PolicyRule[] = (
  [
    ['inet', 0, 'local'],
    ['inet', 32766, 'main'],
    ['inet', 32767, 'default'],
    ['inet6', 0, 'local'],
    ['inet6', 32766, 'main'],
  ] as const
).map(([family, priority, table]): PolicyRule => ({ family, priority, invert: false, action: 'lookup', table }));
