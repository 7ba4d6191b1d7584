import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { Figure } from './figure.ts';
import { carryOver, type BenchResults } from './report.ts';

const dir = mkdtempSync(join(tmpdir(), 'hoplens-report-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (startedAt: string, figures: Figure[]): BenchResults => ({
  startedAt,
  durationS: 1,
  quick: false,
  machine: {} as BenchResults['machine'],
  figures,
  skipped: {},
  details: {},
});
const fig = (id: string, group: string, value: number): Figure => ({ id, group, label: id, value, unit: 'ms' });

it('keeps the groups a partial run did not measure, and replaces a renamed group by its figures’ ids', () => {
  const file = join(dir, 'results.json');
  const before = run('2026-01-01T00:00:00.000Z', [
    fig('cli.start', 'cli', 170),
    fig('import.gzipMs', 'Import (368 MB JSON)', 40_000),
    fig('import.peakRssMib', 'Import (368 MB JSON)', 2_682),
  ]);
  writeFileSync(file, JSON.stringify(before));
  const now = run('2026-01-02T00:00:00.000Z', [
    fig('import.gzipMs', 'Import (506 MB JSON)', 63_000),
    fig('import.peakRssMib', 'Import (506 MB JSON)', 3_337),
  ]);
  const merged = carryOver(now, file);
  expect(merged.figures.map((f) => `${f.group}: ${f.id} ${f.value}`)).toEqual([
    'cli: cli.start 170',
    'Import (506 MB JSON): import.gzipMs 63000',
    'Import (506 MB JSON): import.peakRssMib 3337',
  ]);
  expect(merged.carried).toEqual({ cli: '2026-01-01T00:00:00.000Z' });
});
