import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import type { BenchResults } from './report.ts';

const out = mkdtempSync(join(tmpdir(), 'hoplens-bench-test-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

/** The harness itself, at toy sizes: it must run end to end and write both files. Nothing is timed. */
it('runs the model suite and writes results.json and BENCHMARKS.md', async () => {
  await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'run.ts'), '--quick', '--only', 'model', '--out', out],
    { timeout: 120_000 },
  );
  const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as BenchResults;
  expect(results.quick).toBe(true);
  expect(results.skipped).toEqual({});
  expect(results.figures.map((f) => f.id)).toEqual(
    expect.arrayContaining(['model.100.analyze', 'model.growth', 'trace.p99', 'storage.onDisk']),
  );
  expect(results.machine.cores).toBeGreaterThan(0);
  const md = readFileSync(join(out, 'BENCHMARKS.md'), 'utf8');
  expect(md).toMatch(/\| time ratio 100\/20 nodes \| <= 6 × \|/);
});
