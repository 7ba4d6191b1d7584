import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { Compile } from 'typebox/compile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withFastClosedObjects } from '../../../packages/model/src/schema/fastClosed.ts';
import { SnapshotInputSchema } from '../../../packages/model/src/schema/snapshot.ts';
import { precompiled } from '../scripts/precompile.ts';

const FIXTURES = fileURLToPath(new URL('../../../packages/model/fixtures/', import.meta.url));
const VALIDATE = fileURLToPath(new URL('../../../packages/model/src/schema/validate.ts', import.meta.url));

type Check = (value: unknown) => boolean;
const dir = mkdtempSync(join(tmpdir(), 'hoplens-precompile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The check the built CLI uses: the function the module quick.cjs bundles hands to usePrecompiled. */
let built: Check;
/** The check a source run compiles when first used (validate.ts's `check`). */
const atRunTime = Compile(withFastClosedObjects(SnapshotInputSchema));

beforeAll(async () => {
  const out = join(dir, 'checks.mjs');
  await esbuild.build({
    entryPoints: [fileURLToPath(new URL('../src/precompiledChecks.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: out,
    logLevel: 'error',
    plugins: [
      precompiled(),
      {
        // What the generated module hands to the model, taken here instead.
        name: 'capture',
        setup(build) {
          build.onResolve({ filter: /\/validate\.ts$/ }, (args) =>
            join(args.resolveDir, args.path) === VALIDATE || args.path === VALIDATE
              ? { path: 'validate', namespace: 'capture' }
              : undefined,
          );
          build.onLoad({ filter: /./, namespace: 'capture' }, () => ({
            contents:
              'export const usePrecompiled = (schema, check) => globalThis.hoplensPrecompiled.push({ schema, check });',
            loader: 'js',
          }));
        },
      },
    ],
  });
  const captured: { schema: { properties: Record<string, unknown> }; check: Check }[] = [];
  (globalThis as { hoplensPrecompiled?: unknown }).hoplensPrecompiled = captured;
  await import(pathToFileURL(out).href);
  expect(captured).toHaveLength(1);
  expect(Object.keys(captured[0]!.schema.properties)).toEqual(Object.keys(SnapshotInputSchema.properties));
  built = captured[0]!.check;
});

const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.snapshot.json'));
const read = (f: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(FIXTURES, f), 'utf8')) as Record<string, unknown>;

describe('the snapshot check compiled at build', () => {
  it.each(fixtures)('accepts %s, as the check compiled at run time does', (f) => {
    const snapshot = read(f);
    expect(atRunTime.Check(snapshot)).toBe(true);
    expect(built(snapshot)).toBe(true);
  });

  it.each<[string, (s: Record<string, unknown>) => unknown]>([
    ['a field the format does not define', (s) => ({ ...s, junk: 1 })],
    [
      'an unknown field deep in a link',
      (s) => {
        const copy = structuredClone(s) as { hosts: { namespaces: { links: Record<string, unknown>[] }[] }[] };
        copy.hosts[0]!.namespaces[0]!.links[0]!.zzz = 2;
        return copy;
      },
    ],
    ['a time that is not RFC 3339', (s) => ({ ...s, createdAt: 'yesterday' })],
    ['an id outside its pattern', (s) => ({ ...s, id: 'x' })],
    ['an empty source', (s) => ({ ...s, source: '' })],
    ['hosts that are not a list', (s) => ({ ...s, hosts: {} })],
  ])('refuses %s, as the check compiled at run time does', (_what, spoil) => {
    const bad = spoil(read('seed-broken.snapshot.json'));
    expect(atRunTime.Check(bad)).toBe(false);
    expect(built(bad)).toBe(false);
  });
});
