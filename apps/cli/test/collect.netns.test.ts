import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectLocal, createSnapshot, helperBinary } from '@hoplens/collector';
import { startHelperEarly } from '@hoplens/collector/earlyHelper';
import { canBuildNetns } from '@hoplens/collector/testing';
import { labDown, labUp, newLabPrefix } from '@hoplens/lab';
import type { HostMap } from '@hoplens/model';

const BUILT = fileURLToPath(new URL('../dist/hoplens.js', import.meta.url));

/**
 * A collection as JSON without what differs between two collections of the same namespaces: the
 * clocks, the interfaces' packet counters (the lab's own traffic), and neighbour entries the
 * kernel is still resolving or has given up on (no MAC: they come, go and turn FAILED as it
 * retries ARP for the lab's silent addresses).
 */
const comparable = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value), (k, v: unknown) => {
    if (k === 'createdAt' || k === 'collectedAt' || k === 'stats') return undefined;
    if (k === 'neighbors' && Array.isArray(v)) return (v as { mac?: string }[]).filter((n) => n.mac !== undefined);
    return v;
  }) as unknown;

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));

describe.skipIf(!canBuildNetns())(
  'collect with a netlink helper started early, on a 16-pod node',
  { timeout: 120_000 },
  () => {
    const prefix = newLabPrefix();
    const dir = mkdtempSync(join(tmpdir(), 'hoplens-collect-'));
    const hostMap = join(dir, 'hostmap.json');
    let map: HostMap;
    beforeAll(async () => {
      map = (await labUp({ scenario: 'dense-node', variant: '16', prefix })).hostMap;
      writeFileSync(hostMap, JSON.stringify(map));
      await helperBinary();
      // A lab just built still changes (IPv6 link-local addresses and their routes come once DAD is
      // done): it is settled when two collections a second apart agree.
      let last = JSON.stringify(comparable(await collectLocal(map)));
      for (let i = 0; i < 30; i++) {
        await new Promise((r) => setTimeout(r, 1000));
        const now = JSON.stringify(comparable(await collectLocal(map)));
        if (now === last) return;
        last = now;
      }
      throw new Error('the lab did not settle in 30 s');
    });
    afterAll(async () => {
      await labDown(prefix);
      rmSync(dir, { recursive: true, force: true });
    });

    it('takes the helper started on its namespaces and collects what a helper of its own collects', async () => {
      const early = startHelperEarly(JSON.parse(JSON.stringify(map)));
      expect(early?.args).toHaveLength(17);
      // Done before its reader comes, as on a small node where Node loads slower than the helper dumps.
      await exited(early!.child);
      const taken = await collectLocal(map, { early: early! });
      expect(early!.taken).toBe(true);
      expect(early!.child.exitCode).toBe(0);
      expect(comparable(taken)).toEqual(comparable(await collectLocal(map)));
    });

    it('stops a helper started on other namespaces and collects with its own', async () => {
      const other = { hosts: [{ ...map.hosts[0]!, netns: map.hosts[0]!.netns.slice(1) }] };
      const early = startHelperEarly(other)!;
      const collected = await collectLocal(map, { early });
      await exited(early.child);
      // Stopped, unless it had already dumped its 16 namespaces and exited before the collection began.
      const { signalCode, exitCode } = early.child;
      expect(signalCode === 'SIGTERM' || (signalCode === null && exitCode === 0), `${signalCode} ${exitCode}`).toBe(
        true,
      );
      expect(collected.flatMap((h) => h.namespaces)).toHaveLength(17);
      expect(comparable(collected)).toEqual(comparable(await collectLocal(map)));
    });

    it('the built `hoplens collect` writes the snapshot an in-process collection makes, every id but its own random one', async () => {
      const out = join(dir, 'snapshot.json');
      await promisify(execFile)(process.execPath, [BUILT, 'collect', '--hosts', hostMap, '--out', out]);
      const text = readFileSync(out, 'utf8');
      // One line: a file is for programs, and indenting doubles what is serialized and written.
      expect(text.indexOf('\n')).toBe(text.length - 1);
      const written = JSON.parse(text) as { id: string };
      const made = createSnapshot(await collectLocal(map), `local:${hostMap}`);
      expect(written.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(comparable({ ...written, id: '' })).toEqual(comparable({ ...made, id: '' }));
    });

    it('reads its host map from a pipe, which has nothing left for a second read', async () => {
      const out = join(dir, 'piped.json');
      const { stderr } = await promisify(execFile)('sh', [
        '-c',
        `cat '${hostMap}' | '${process.execPath}' '${BUILT}' collect --hosts /dev/stdin --out '${out}'`,
      ]);
      expect(stderr).toBe('');
      const written = JSON.parse(readFileSync(out, 'utf8')) as { source: string; hosts: { namespaces: unknown[] }[] };
      expect(written.source).toBe('local:/dev/stdin');
      expect(written.hosts.flatMap((h) => h.namespaces)).toHaveLength(17);
    });

    it('says where its time went when asked, in the order things happened', async () => {
      const { stderr } = await promisify(execFile)(
        process.execPath,
        [BUILT, 'collect', '--hosts', hostMap, '--out', join(dir, 'timed.json')],
        { env: { ...process.env, HOPLENS_COLLECT_TIMES: '1' } },
      );
      const marks = [
        ...stderr.matchAll(/^hoplens times: ([\d.]+) ms(?:, CPU ([\d.]+) ms, (\d+) page faults)?: (.+)$/gm),
      ];
      const at = new Map(marks.map((m) => [m[4]!, Number(m[1])]));
      expect(marks.map((m) => m[4])).toEqual(
        expect.arrayContaining([
          'node bootstrapped',
          'helper spawned',
          'collect loaded',
          'host map read',
          'helper exit seen',
          'namespaces collected',
          'snapshot made',
          'written',
          'exit',
        ]),
      );
      expect(marks.map((m) => Number(m[1]))).toEqual(marks.map((m) => Number(m[1])).sort((a, b) => a - b));
      // The helper is started before `collect` is loaded, and its end is seen before the namespaces are all decoded.
      expect(at.get('helper spawned')).toBeLessThan(at.get('collect loaded')!);
      expect(at.get('helper exit seen')).toBeLessThanOrEqual(at.get('namespaces collected')!);
      const cpu = marks.filter((m) => m[2] !== undefined).map((m) => Number(m[2]));
      expect(cpu).toEqual([...cpu].sort((a, b) => a - b));
      // Each main-thread mark also counts the page faults so far (first touches of memory), which only grow.
      const faults = marks.filter((m) => m[3] !== undefined).map((m) => Number(m[3]));
      expect(faults).toHaveLength(cpu.length);
      expect(faults[0]).toBeGreaterThan(0);
      expect(faults).toEqual([...faults].sort((a, b) => a - b));
    });
  },
);
