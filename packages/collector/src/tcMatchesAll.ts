import type { TcClassifier } from '@hoplens/model';

/**
 * A classifier that takes every packet it sees: matchall, basic without ematches, a u32 node whose
 * keys all have mask 0 (`u32 match u32 0 0`) and that neither links nor filters on device or mark.
 */
export function matchesAll(c: TcClassifier): boolean {
  if (c.kind === 'matchall') return true;
  if (c.kind === 'basic') return !c.ematches;
  if (c.kind !== 'u32') return false;
  return (
    c.divisor === undefined &&
    c.link === undefined &&
    c.indev === undefined &&
    c.fwmark === undefined &&
    c.keys.length > 0 &&
    c.keys.every((k) => k.mask === 0)
  );
}
