import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { Compile } from 'typebox/compile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withFastClosedObjects } from '../../../packages/model/src/schema/fastClosed.ts';
import { HostMapSchema } from '../../../packages/model/src/schema/hostMap.ts';
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

describe('the host map check compiled at build', () => {
  let isHostMap: Check;
  let inputs: string[];
  const hostMapAtRunTime = Compile(withFastClosedObjects(HostMapSchema));

  beforeAll(async () => {
    const out = join(dir, 'hostMap.mjs');
    const result = await esbuild.build({
      entryPoints: [fileURLToPath(new URL('../src/precompiledHostMap.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: out,
      logLevel: 'error',
      metafile: true,
      plugins: [precompiled()],
    });
    inputs = Object.keys(result.metafile.inputs);
    isHostMap = ((await import(pathToFileURL(out).href)) as { isHostMap: Check }).isHostMap;
  });

  it('loads neither the schema, the model nor TypeBox beyond its string guard', () => {
    expect(inputs.filter((f) => !/\/typebox\/build\/(guard|system)\//.test(f))).toEqual([
      'precompiled:precompiledHostMap.ts',
    ]);
  });

  const node = {
    name: 'node',
    kind: 'node',
    root: 'hl-x-node',
    netns: ['hl-x-p0', { name: 'held', path: '/proc/1/ns/net' }],
  };
  it.each<[string, unknown]>([
    ['a node and its pods', { hosts: [node] }],
    [
      'a pod VM with its config and a switch',
      {
        hosts: [
          {
            ...node,
            kind: 'pod-vm',
            root: null,
            peerPodConfig: '/run/peerpod/apf.json',
            ovsDbSocket: '/run/ovs/db.sock',
          },
        ],
      },
    ],
    ['names of 255 code points in 510 UTF-16 units', { hosts: [{ ...node, netns: ['😀'.repeat(255)] }] }],
    ['no hosts', { hosts: [] }],
    ['a list', [node]],
    ['a host name outside its pattern', { hosts: [{ ...node, name: '-x' }] }],
    ['an unknown kind', { hosts: [{ ...node, kind: 'vm' }] }],
    ['a netns with a slash', { hosts: [{ ...node, netns: ['a/b'] }] }],
    ['an empty netns name', { hosts: [{ ...node, root: '' }] }],
    ['a name of 256 code points', { hosts: [{ ...node, netns: ['😀'.repeat(256)] }] }],
    ['a relative netns file', { hosts: [{ ...node, netns: [{ name: 'x', path: 'proc/1/ns/net' }] }] }],
    ['a netns file with ..', { hosts: [{ ...node, netns: [{ name: 'x', path: '/proc/../x' }] }] }],
    ['a socket path that escapes', { hosts: [{ ...node, ovsDbSocket: '/a/../b' }] }],
    ['a missing root', { hosts: [{ name: 'n', kind: 'node', netns: [] }] }],
  ])('decides %s as the check compiled at run time does', (_what, map) => {
    expect(isHostMap(map)).toBe(hostMapAtRunTime.Check(map));
  });
});
