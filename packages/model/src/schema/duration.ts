import Type from 'typebox';

const UNITS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A duration as people write it on a command line or in a config file: `30s`, `5m`, `12h`, `7d`. */
export const DurationSchema = Type.String({ pattern: '^[1-9][0-9]{0,5}[smhd]$' });

/** Milliseconds of a duration (`5m` → 300000); throws a RangeError naming what is wrong. */
export function parseDuration(text: string): number {
  const m = /^([1-9][0-9]{0,5})([smhd])$/.exec(text.trim());
  // Digits and a unit, but more than six digits: too long, not malformed.
  if (!m && /^[1-9][0-9]{6,}[smhd]$/.test(text.trim()))
    throw new RangeError(`"${text}" is too long a duration: at most 6 digits (999999d)`);
  if (!m) throw new RangeError(`"${text}" is not a duration: write a number and s, m, h or d (5m, 12h, 7d)`);
  return Number(m[1]) * UNITS[m[2] as keyof typeof UNITS];
}

/** The shortest way to write `ms` in whole units (300000 → `5m`). */
export function formatDuration(ms: number): string {
  for (const [unit, size] of Object.entries(UNITS).reverse())
    if (ms % size === 0 && ms >= size) return `${ms / size}${unit}`;
  return `${ms}ms`;
}
