import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import fixed from '@hoplens/model/fixtures/seed-fixed.snapshot.json' with { type: 'json' };
import type { AuditEntry } from '../../src/security/auditLog.ts';
import { startServer } from '../../src/server.ts';
import { testApp, type TestApp } from '../testApp.ts';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const TOKEN = 'audit-test-token-0123456789';

it('records every write, refused ones too, with who, what, when and the answer; never a read', async () => {
  const lines: string[] = [];
  t = await testApp({ access: { loopbackOnly: false, token: TOKEN }, audit: (l) => lines.push(l) });
  const auth = { authorization: `Bearer ${TOKEN}`, 'user-agent': 'curl/8\u001b[2K' };
  await t.app.inject({ method: 'POST', url: '/api/snapshots', payload: fixed, headers: auth });
  await t.app.inject({ url: `/api/snapshots/${fixed.id}`, headers: auth });
  await t.app.inject({
    method: 'DELETE',
    url: `/%61pi/snapshots/${fixed.id}`,
    headers: auth,
    remoteAddress: '10.1.2.3',
  });
  await t.app.inject({ method: 'DELETE', url: `/api/snapshots/${fixed.id}` });
  const entries = lines.map((l) => JSON.parse(l) as AuditEntry);
  // JSON escapes control characters: a hostile user agent stays one line, shown as text.
  expect(lines.every((l) => ![...l].some((c) => c.charCodeAt(0) < 0x20))).toBe(true);
  expect(entries).toMatchObject([
    {
      method: 'POST',
      route: '/api/snapshots',
      snapshot: fixed.id,
      status: 201,
      token: true,
      userAgent: 'curl/8\u001b[2K',
    },
    {
      method: 'DELETE',
      route: '/api/snapshots/:id',
      url: `/%61pi/snapshots/${fixed.id}`,
      snapshot: fixed.id,
      status: 204,
      from: '10.1.2.3',
      token: true,
    },
    { method: 'DELETE', route: '/api/snapshots/:id', snapshot: fixed.id, status: 401, token: false },
  ]);
  for (const e of entries) expect(Date.parse(e.at)).toBeGreaterThan(Date.now() - 60_000);
});

it('appends the audit lines of a started server to a file only its owner can read, beside a database only it can read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hoplens-audit-'));
  const file = join(dir, 'audit.log');
  const server = await startServer({
    host: '127.0.0.1',
    port: 0,
    db: join(dir, 'h.db'),
    sources: undefined,
    auditLog: file,
  });
  try {
    const res = await fetch(`${server.url}/api/snapshots/${fixed.id}`, { method: 'DELETE' });
    expect(res.status).toBe(404);
  } finally {
    await server.close();
  }
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(statSync(join(dir, 'h.db')).mode & 0o777).toBe(0o600);
  const entry = JSON.parse(readFileSync(file, 'utf8').trim()) as AuditEntry;
  expect(entry).toMatchObject({ method: 'DELETE', route: '/api/snapshots/:id', status: 404, from: '127.0.0.1' });
  rmSync(dir, { recursive: true, force: true });
});
