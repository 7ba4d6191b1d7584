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

/** The browser suite at toy size: a real server, Chromium, and every figure written. Nothing is timed. */
it('runs the browser suite against a real server in Chromium and reports load, click and pan figures', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hoplens-bench-browser-test-'));
  try {
    await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, 'run.ts'), '--quick', '--only', 'browser', '--out', dir],
      { timeout: 180_000 },
    );
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as BenchResults;
    expect(results.skipped).toEqual({});
    const ids = results.figures.map((f) => f.id);
    for (const key of ['seed', 'synthetic'])
      for (const figure of ['firstGraph', 'interactive', 'tap', 'panP95'])
        expect(ids).toContain(`browser.${key}.${figure}`);
    expect(results.figures.every((f) => Number.isFinite(f.value) && f.value > 0)).toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 200_000);
