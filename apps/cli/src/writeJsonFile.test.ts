import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeJsonFile } from './writeJsonFile.ts';

const dir = mkdtempSync(join(tmpdir(), 'hoplens-writejson-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeJsonFile', () => {
  it('writes JSON.stringify and a newline, multi-byte text across its batches intact', () => {
    // Surrogate pairs, 3-byte and 2-byte characters, long enough to cross many encode slices at odd offsets.
    const value = {
      names: Array.from({ length: 3000 }, (_, i) => `${'x'.repeat(i % 7)}😀€é-${i}`),
      one: '😀'.repeat(40_000),
      nested: { list: [1, 'a', null, { b: '€'.repeat(20_001) }] },
    };
    const path = join(dir, 'text.json');
    writeJsonFile(path, value);
    expect(readFileSync(path, 'utf8')).toBe(`${JSON.stringify(value)}\n`);
  });

  it('replaces what was there and creates a new file with the mode asked', () => {
    const path = join(dir, 'secret.json');
    writeJsonFile(path, { a: 1 }, 0o600);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    writeFileSync(path, 'x'.repeat(10_000));
    writeJsonFile(path, []);
    expect(readFileSync(path, 'utf8')).toBe('[]\n');
  });

  it('makes an existing file private when asked for a private mode, and leaves its mode alone otherwise', () => {
    const path = join(dir, 'was-public.json');
    writeFileSync(path, 'old', { mode: 0o644 });
    writeJsonFile(path, { raw: 'ip addr' }, 0o600);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toBe('{"raw":"ip addr"}\n');
    const open = join(dir, 'stays.json');
    writeFileSync(open, 'old', { mode: 0o640 });
    writeJsonFile(open, []);
    expect(statSync(open).mode & 0o777).toBe(0o640);
  });

  it('writes to a device as it is, never changing its mode (root would make /dev/null private)', () => {
    const before = statSync('/dev/null').mode;
    writeJsonFile('/dev/null', { raw: 'ip addr' }, 0o600);
    expect(statSync('/dev/null').mode).toBe(before);
  });

  it('throws JSON.stringify’s error for a value it cannot serialize', () => {
    expect(() => writeJsonFile(join(dir, 'bad.json'), { n: 1n })).toThrow(TypeError);
  });
});
