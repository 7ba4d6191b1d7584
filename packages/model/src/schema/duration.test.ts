import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.ts';

describe('durations', () => {
  it('reads seconds, minutes, hours and days', () => {
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('12h')).toBe(43_200_000);
    expect(parseDuration('7d')).toBe(604_800_000);
  });

  it('refuses what is not a whole positive number of a unit', () => {
    for (const bad of ['', '5', '0m', '-5m', '1.5h', '5 min', '5M', '1w'])
      expect(() => parseDuration(bad)).toThrow(RangeError);
  });

  it('says a duration of too many digits is too long, not malformed', () => {
    expect(() => parseDuration('99999999999d')).toThrow('"99999999999d" is too long a duration: at most 6 digits');
    expect(parseDuration('999999s')).toBe(999_999_000);
  });

  it('writes a duration in its largest whole unit', () => {
    expect(formatDuration(300_000)).toBe('5m');
    expect(formatDuration(604_800_000)).toBe('7d');
    expect(formatDuration(90_000)).toBe('90s');
  });
});
