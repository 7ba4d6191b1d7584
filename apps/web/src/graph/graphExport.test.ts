import { describe, expect, it } from 'vitest';
import { exportName } from './exportName.ts';
import { MAX_PNG_SIDE, pngScale } from './graphExport.ts';

describe('graph and snapshot exports', () => {
  it('draw a PNG at twice its size, but never a side past the bound, whatever the screen', () => {
    expect(pngScale(800, 600, 1)).toBe(2);
    // The 5,000-node overview: 12,446 × 4,515 at 1 was drawn 24,892 × 9,030.
    const scale = pngScale(12_446, 4_515, 1);
    expect(12_446 * scale).toBeCloseTo(MAX_PNG_SIDE);
    expect(4_515 * scale).toBeLessThan(MAX_PNG_SIDE);
    expect(10_000 * pngScale(10_000, 10, 2) * 2).toBeCloseTo(MAX_PNG_SIDE);
    expect(pngScale(0, 0, 1)).toBe(2);
  });

  it('name a file by the whole snapshot id, made safe for a file name', () => {
    expect(exportName('synthetic-1250n-10p-s1')).toBe('hoplens-synthetic-1250n-10p-s1');
    expect(exportName('synthetic-1250n-10p-s2')).not.toBe(exportName('synthetic-1250n-10p-s1'));
    expect(exportName('a/../b c')).toBe('hoplens-a_.._b_c');
    expect(exportName('x'.repeat(500))).toHaveLength('hoplens-'.length + 80);
  });
});
