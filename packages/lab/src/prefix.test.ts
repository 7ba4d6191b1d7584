import { describe, expect, it } from 'vitest';
import { isLabPrefix, newLabPrefix, ofLab } from './prefix.ts';

describe('lab prefixes', () => {
  it('end with a dash: a prefix that does not would also name the namespaces of longer ones', () => {
    expect(isLabPrefix(newLabPrefix())).toBe(true);
    for (const ok of ['hl-a-', 'hl-seed-', 'hl-wa1-x-', 'hl-0123456789a-']) expect(isLabPrefix(ok)).toBe(true);
    for (const bad of ['hl-wa1', 'hl--', 'hl-', 'hl-a b-', 'hl-A-', 'xx-ab-', 'hl-0123456789ab-', 'hl-../x-'])
      expect(isLabPrefix(bad)).toBe(false);
  });

  it('own the namespaces they start, but for those of another lab up with a longer prefix', () => {
    const labs = ['hl-a-', 'hl-a-b-', 'hl-ab-'];
    expect(ofLab('hl-a-worker', 'hl-a-', labs)).toBe(true);
    expect(ofLab('hl-a-pod-b', 'hl-a-', labs)).toBe(true);
    expect(ofLab('hl-a-b-worker', 'hl-a-', labs)).toBe(false);
    expect(ofLab('hl-a-b-worker', 'hl-a-b-', labs)).toBe(true);
    expect(ofLab('hl-ab-worker', 'hl-a-', labs)).toBe(false);
    // A lab not up (no files' directory) owns nothing: its namespaces go with the shorter prefix.
    expect(ofLab('hl-a-c-worker', 'hl-a-', labs)).toBe(true);
  });
});
