import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { analysisVersion, hashCode } from './analysisVersion.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'hoplens-version-'));
  mkdirSync(join(dir, 'model/rules'), { recursive: true });
  writeFileSync(join(dir, 'model/rules/mac.ts'), 'export const rule = 1;\n');
  writeFileSync(join(dir, 'model/graph.ts'), 'export const graph = 1;\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('gives another version when any code file under the roots changes, however little', () => {
  const before = hashCode(dir, ['model']);
  expect(hashCode(dir, ['model'])).toBe(before);
  writeFileSync(join(dir, 'model/rules/mac.ts'), 'export const rule = 2;\n');
  expect(hashCode(dir, ['model'])).not.toBe(before);
});

it('gives another version when a code file is added or renamed', () => {
  const before = hashCode(dir, ['model']);
  writeFileSync(join(dir, 'model/rules/mtu.ts'), '');
  const added = hashCode(dir, ['model']);
  expect(added).not.toBe(before);
  rmSync(join(dir, 'model/rules/mtu.ts'));
  writeFileSync(join(dir, 'model/rules/mtu2.ts'), '');
  expect(hashCode(dir, ['model'])).not.toBe(added);
});

it('ignores tests and what is not code', () => {
  const before = hashCode(dir, ['model']);
  writeFileSync(join(dir, 'model/rules/mac.test.ts'), 'it()');
  writeFileSync(join(dir, 'model/README.md'), '# model');
  expect(hashCode(dir, ['model'])).toBe(before);
});

it('reads subdirectories only when asked (a build is flat)', () => {
  const flat = hashCode(dir, ['model'], false);
  writeFileSync(join(dir, 'model/rules/mac.ts'), 'export const rule = 3;\n');
  expect(hashCode(dir, ['model'], false)).toBe(flat);
  writeFileSync(join(dir, 'model/graph.js'), 'export const graph = 2;\n');
  expect(hashCode(dir, ['model'], false)).not.toBe(flat);
});

it('names the code this server runs from source: the model, collector and analysis sources', () => {
  expect(analysisVersion()).toMatch(/^[0-9a-f]{32}$/);
});
