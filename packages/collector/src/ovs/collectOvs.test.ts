import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HostInventory } from '@hoplens/model';
import { collectOvs } from './collectOvs.ts';
import { JsonSplitter } from './jsonRpc.ts';

const dir = mkdtempSync(join(tmpdir(), 'hl-collectovs-'));
const servers: Server[] = [];
afterAll(() => {
  for (const s of servers) s.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The lab switch's recorded OVSDB answer (see readOvsdb.test.ts). */
const recorded = (): unknown[] =>
  JSON.parse(readFileSync(new URL('../../fixtures/ovs/ovsdb-reply.json', import.meta.url), 'utf8')) as unknown[];

/** An OVSDB socket that answers every transaction with `answer`; no ovs-vswitchd beside it. */
async function ovsdb(answer: unknown[]): Promise<string> {
  const path = join(dir, `${servers.length}.sock`);
  const server = createServer((s) => {
    s.on('error', () => undefined);
    const split = new JsonSplitter(1 << 20);
    s.on('data', (d) => {
      for (const m of split.push(d.toString())) {
        const req = JSON.parse(m) as { id: number };
        s.write(JSON.stringify({ id: req.id, result: answer, error: null }));
      }
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(path, r));
  return path;
}

const host = (): HostInventory => ({
  name: 'w',
  kind: 'node',
  collectedAt: '2026-11-30T00:00:00.000Z',
  errors: [],
  namespaces: [],
});

describe('collectOvs', () => {
  it('says how many OVSDB rows it could not read, and names each in the host’s errors', async () => {
    const answer = recorded() as { rows: Record<string, unknown>[] }[];
    // The Port table's (the third select's) first row, with a name that is not a string.
    answer[2]!.rows[0]!.name = 7;
    const got = await collectOvs(host(), await ovsdb(answer), true);
    expect(got.ovs?.unreadRows).toBe(1);
    expect(got.errors.some((e) => /^OVSDB .*: Port /.test(e.message))).toBe(true);
    expect(got.ovs?.bridges.map((b) => b.name)).toEqual(['br-int']);
  });

  it('says nothing of unread rows where every row was read', async () => {
    const got = await collectOvs(host(), await ovsdb(recorded()), true);
    expect(got.ovs).toBeDefined();
    expect(got.ovs).not.toHaveProperty('unreadRows');
  });
});
