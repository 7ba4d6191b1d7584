import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { Compile } from 'typebox/compile';
import Value from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withFastClosedObjects } from '../../../packages/model/src/schema/fastClosed.ts';
import { HostMapSchema } from '../../../packages/model/src/schema/hostMap.ts';
import { OvsTraceRequestSchema } from '../../../packages/model/src/schema/ovs.ts';
import { AgentProbeRequestSchema } from '../../../packages/model/src/schema/probe.ts';
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

/** A module of checks compiled at build standing alone, as the built CLI bundles it, and what it loads. */
async function standalone(source: URL): Promise<{ checks: Record<string, Check>; inputs: string[] }> {
  const out = join(dir, `${source.pathname.slice(source.pathname.lastIndexOf('/') + 1)}.mjs`);
  const result = await esbuild.build({
    entryPoints: [fileURLToPath(source)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: out,
    logLevel: 'error',
    metafile: true,
    plugins: [precompiled()],
  });
  const checks = (await import(pathToFileURL(out).href)) as Record<string, Check>;
  return { checks, inputs: Object.keys(result.metafile.inputs) };
}

/** What a module of standalone checks loads beyond TypeBox's string guard. */
const beyondGuard = (inputs: string[]): string[] => inputs.filter((f) => !/\/typebox\/build\/(guard|system)\//.test(f));

describe('the host map check compiled at build', () => {
  let isHostMap: Check;
  let inputs: string[];
  const hostMapAtRunTime = Compile(withFastClosedObjects(HostMapSchema));

  beforeAll(async () => {
    const built = await standalone(new URL('../src/precompiledHostMap.ts', import.meta.url));
    inputs = built.inputs;
    isHostMap = built.checks.isHostMap!;
  });

  it('loads neither the schema, the model nor TypeBox beyond its string guard', () => {
    expect(beyondGuard(inputs)).toEqual(['precompiled:precompiledHostMap.ts']);
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

describe('the agent’s request checks compiled at build', () => {
  let checks: Record<string, Check>;
  let inputs: string[];
  /** From source, the agent checks a question interpreted (validate's `once`) and a probe compiled. */
  const questionAtRunTime = (v: unknown): boolean => Value.Check(OvsTraceRequestSchema, v);
  const probeAtRunTime = Compile(withFastClosedObjects(AgentProbeRequestSchema));

  beforeAll(async () => {
    ({ checks, inputs } = await standalone(
      new URL('../../server/src/agent/precompiledAgentChecks.ts', import.meta.url),
    ));
  });

  it('loads neither the schemas, the model nor TypeBox beyond its string guard', () => {
    expect(beyondGuard(inputs)).toEqual(['precompiled:precompiledAgentChecks.ts']);
    expect(Object.keys(checks).sort()).toEqual(['isAgentProbeRequest', 'isOvsTraceRequest']);
  });

  const FLOW = 'icmp,in_port=2,dl_src=0a:58:0a:84:02:0a,nw_src=10.132.2.10,nw_dst=10.132.2.2,icmp_type=8';
  const question = { bridge: 'br-int', flow: FLOW };
  it.each<[string, unknown, boolean]>([
    ['a question', question, true],
    ['a question to a host, with a conntrack state', { ...question, host: 'node-1', ctNext: 'trk,new' }, true],
    ['a flow with shell syntax', { ...question, flow: `${FLOW};reboot` }, false],
    ['a flow with spaces', { ...question, flow: 'icmp, in_port=1' }, false],
    ['a conntrack state that looks like an option', { ...question, ctNext: '--help' }, false],
    ['a bridge name with a newline', { ...question, bridge: 'br\nint' }, false],
    ['a bridge name with a slash', { ...question, bridge: 'br/int' }, false],
    ['a flow longer than any packet’s', { ...question, flow: `icmp,${'nw_ttl=64,'.repeat(200)}nw_ttl=64` }, false],
    ['a host outside its pattern', { ...question, host: '-x' }, false],
    ['an extra field, which the open schema lets pass', { ...question, port: '1' }, true],
    ['no flow', { bridge: 'br-int' }, false],
    ['a list', [question], false],
  ])('decides the ofproto/trace question %s as the check at run time does', (_what, q, accepted) => {
    expect(questionAtRunTime(q)).toBe(accepted);
    expect(checks.isOvsTraceRequest!(q)).toBe(accepted);
  });

  const probe = {
    mark: { icmpId: 4242, pattern: '686c7072' },
    send: { from: { host: 'worker', netns: 'hl-x-p0' }, to: '10.0.0.1', count: 3, size: 56, df: false },
    watch: [{ host: 'worker', netns: 'hl-x-p0', interface: 'eth0' }],
    windowMs: 2000,
  };
  it.each<[string, unknown, boolean]>([
    ['a probe', probe, true],
    ['a watch without sending', { ...probe, send: undefined }, true],
    ['a watch in the root namespace', { ...probe, watch: [{ ...probe.watch[0], netns: null }] }, true],
    ['too many echoes', { ...probe, send: { ...probe.send, count: 11 } }, false],
    ['a payload larger than a jumbo frame’s', { ...probe, send: { ...probe.send, size: 9000 } }, false],
    ['a pattern that is not hex', { ...probe, mark: { ...probe.mark, pattern: 'zz' } }, false],
    ['an ICMP id of 0', { ...probe, mark: { ...probe.mark, icmpId: 0 } }, false],
    ['a window too short', { ...probe, windowMs: 10 }, false],
    ['an interface name with a slash', { ...probe, watch: [{ ...probe.watch[0], interface: 'a/b' }] }, false],
    ['65 watched interfaces', { ...probe, watch: Array.from({ length: 65 }, () => probe.watch[0]) }, false],
    ['an extra field, which the open schema lets pass', { ...probe, shell: 'reboot' }, true],
    ['a count that is not a whole number', { ...probe, send: { ...probe.send, count: 1.5 } }, false],
    ['no mark', { ...probe, mark: undefined }, false],
  ])('decides the probe request with %s as the check at run time does', (_what, body, accepted) => {
    // As the agent reads it: JSON, in which an undefined field is no field.
    const value: unknown = JSON.parse(JSON.stringify(body));
    expect(probeAtRunTime.Check(value)).toBe(accepted);
    expect(checks.isAgentProbeRequest!(value)).toBe(accepted);
  });
});
