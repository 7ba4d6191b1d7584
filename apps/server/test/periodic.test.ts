import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CollectStatusSchema,
  readSnapshot,
  ServerInfoSchema,
  validate,
  type CollectStatus,
  type ServerInfo,
} from '@hoplens/model';
import broken from '@hoplens/model/fixtures/seed-broken.snapshot.json' with { type: 'json' };
import { startServer } from '../src/server.ts';
import { FakeClock, settle } from '../src/testing/fakeClock.ts';

const MIN = 60_000;
const dir = mkdtempSync(join(tmpdir(), 'hoplens-periodic-'));
const dump = join(dir, 'seed.dump.json');
const clock = new FakeClock(3_333_334 * 5 * MIN + 17_000);
const notices: string[] = [];
let server: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
  const hosts = readSnapshot(broken).hosts;
  writeFileSync(dump, JSON.stringify({ kind: 'hoplens-dump', format: 1, createdAt: 'then', hosts }));
  server = await startServer({
    host: '127.0.0.1',
    port: 0,
    db: join(dir, 'h.db'),
    sources: { sources: [{ kind: 'dump', path: dump }] },
    everyMs: 5 * MIN,
    retention: { keepLast: 2 },
    clock,
    notice: (m) => notices.push(m),
  });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = async (path: string): Promise<unknown> => (await fetch(`${server.url}${path}`)).json();
const collectStatus = async (): Promise<CollectStatus> =>
  validate(CollectStatusSchema, await get('/api/collect'), 'collect status');
const info = async (): Promise<ServerInfo> => validate(ServerInfoSchema, await get('/api/info'), 'info');
const ids = async (): Promise<string[]> => ((await get('/api/snapshots')) as { id: string }[]).map((s) => s.id).sort();

/** Moves the fake clock on, then waits (briefly, in real time) until the runs it started are recorded. */
async function advance(ms: number, runs: number): Promise<CollectStatus> {
  await clock.advance(ms);
  await expect.poll(async () => (await collectStatus()).schedule?.runs.length, { timeout: 20_000 }).toBe(runs);
  await settle();
  return collectStatus();
}

describe('hoplens start --every 5m --keep-last 2', () => {
  it('collects each period, stores unchanged hosts once, and keeps the last two and the first appearance', async () => {
    const first = await advance(6 * MIN, 1);
    expect(first.schedule).toMatchObject({ everyMs: 5 * MIN, runs: [{ outcome: 'stored' }] });
    const before = await info();
    await advance(5 * MIN, 2);
    await advance(5 * MIN, 3);
    const status = await advance(5 * MIN, 4);
    expect(status.schedule!.runs.every((r) => r.outcome === 'stored')).toBe(true);
    const [fourth, third, second, firstRun] = status.schedule!.runs.map((r) => r.snapshot);
    // The first run holds the first appearance of the seed's findings; the last two are the newest.
    await expect.poll(ids).toEqual([firstRun, third, fourth].sort());
    // Logged once the store has deleted it: the listing above can see the deletion a moment before.
    await expect.poll(() => notices.some((n) => n.includes(`retention deleted snapshot ${second}`))).toBe(true);
    expect(notices.find((n) => n.includes(`${second}`))).toContain('not among the last 2');
    const after = await info();
    // Four collections of an unchanged cluster take the parts of one.
    expect(after.store).toMatchObject({ kind: 'sqlite', snapshots: 3, blobs: before.store.blobs });
    expect(after.store.retention).toContain('the last 2');
  });
});
