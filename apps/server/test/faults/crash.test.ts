import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { canBuildNetns } from '@hoplens/collector/testing';
import { labDown, labUp, newLabPrefix } from '@hoplens/lab';
import fixed from '@hoplens/model/fixtures/seed-fixed.snapshot.json' with { type: 'json' };
import { writeFileSync } from 'node:fs';
import { SqliteStore } from '../../src/store/sqliteStore.ts';

/** The built CLI (vitest's globalSetup builds it): what a user and the image run. */
const CLI = fileURLToPath(new URL('../../../cli/dist/hoplens.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'hoplens-crash-'));
const db = join(dir, 'h.db');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the real `hoplens start` in its own process and waits for its URL. */
async function startProcess(extra: string[] = []): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(process.execPath, [CLI, 'start', '--port', '0', '--db', db, '--no-demo', ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /hoplens dashboard: (\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    proc.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return { proc, url };
}

function kill9(proc: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    proc.once('exit', () => resolve());
    proc.kill('SIGKILL');
  });
}

/** Opens the database as a restarted server would and checks every row. */
async function inspect(): Promise<{ ids: string[]; integrity: string }> {
  const store = new SqliteStore(db);
  try {
    const ids = (await store.list()).map((s) => s.id);
    for (const id of ids) expect((await store.get(id))?.id).toBe(id);
    return { ids, integrity: store.integrityCheck() };
  } finally {
    await store.close();
  }
}

describe('kill -9 during writes', () => {
  it('loses no acknowledged snapshot and leaves no half-written one, over 5 crashes', async () => {
    const acknowledged = new Set<string>();
    for (let round = 0; round < 5; round++) {
      const { proc, url } = await startProcess();
      const imports = Array.from({ length: 40 }, (_, i) => {
        const id = `crash${round}x${String(i).padStart(15, '0')}`;
        return fetch(`${url}/api/snapshots`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ ...fixed, id }),
        })
          .then((r) => (r.status === 201 ? acknowledged.add(id) : undefined))
          .catch(() => undefined);
      });
      // Kill it mid-stream, once some imports are acknowledged (a fixed delay is too short on a busy machine).
      const before = acknowledged.size;
      await expect
        .poll(() => acknowledged.size - before, { timeout: 30_000, interval: 10 })
        .toBeGreaterThanOrEqual(1 + round * 3);
      await kill9(proc);
      await Promise.all(imports);
      const { ids, integrity } = await inspect();
      expect(integrity).toBe('ok');
      for (const id of acknowledged) expect(ids, `acknowledged ${id} lost`).toContain(id);
    }
    expect(acknowledged.size).toBeGreaterThan(0);
    // Five server starts: each transpiles the server's sources, ten seconds and more on a busy machine.
  }, 180_000);
});

describe.skipIf(!canBuildNetns())('kill -9 during a collection', () => {
  const prefix = newLabPrefix();
  afterAll(() => labDown(prefix));

  it('keeps the store sound, and the restarted server collects again', async () => {
    const plan = await labUp({ scenario: 'seed', variant: 'broken', prefix });
    const hosts = join(dir, 'hosts.json');
    writeFileSync(hosts, JSON.stringify(plan.hostMap));
    const before = (await inspect()).ids;
    const first = await startProcess(['--hosts', hosts]);
    const pending = fetch(`${first.url}/api/collect`, { method: 'POST' }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 150));
    await kill9(first.proc);
    await pending;
    const after = await inspect();
    expect(after.integrity).toBe('ok');
    for (const id of before) expect(after.ids).toContain(id);

    const second = await startProcess(['--hosts', hosts]);
    try {
      const res = await fetch(`${second.url}/api/collect`, { method: 'POST' });
      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({ findings: { fatal: 2 } });
    } finally {
      await kill9(second.proc);
    }
  });
});
