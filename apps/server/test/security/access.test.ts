import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import fixed from '@hoplens/model/fixtures/seed-fixed.snapshot.json' with { type: 'json' };
import { SECURITY_HEADERS } from '../../src/security/securityHeaders.ts';
import { RateLimiter } from '../../src/security/rateLimiter.ts';
import { tokenMatches } from '../../src/security/bearerToken.ts';
import { testApp, type TestApp } from '../testApp.ts';

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('on loopback (the default)', () => {
  it('refuses a Host that is not loopback, so a DNS-rebinding page cannot use the API', async () => {
    t = await testApp();
    expect((await t.app.inject({ url: '/api/snapshots', headers: { host: 'evil.example' } })).statusCode).toBe(403);
    for (const host of ['localhost:7080', '127.0.0.1:7080', '[::1]:7080']) {
      expect((await t.app.inject({ url: '/api/snapshots', headers: { host } })).statusCode, host).toBe(200);
    }
  });

  it('refuses writes from another origin (CSRF) but takes same-origin ones', async () => {
    t = await testApp();
    const cross = await t.app.inject({
      method: 'POST',
      url: '/api/snapshots',
      payload: fixed,
      headers: { host: 'localhost:7080', origin: 'https://evil.example' },
    });
    expect(cross.statusCode).toBe(403);
    const site = await t.app.inject({
      method: 'POST',
      url: '/api/snapshots',
      payload: fixed,
      headers: { host: 'localhost:7080', 'sec-fetch-site': 'cross-site' },
    });
    expect(site.statusCode).toBe(403);
    expect((await t.app.inject('/api/snapshots')).json()).toEqual([]);
    const same = await t.app.inject({
      method: 'POST',
      url: '/api/snapshots',
      payload: fixed,
      headers: { host: 'localhost:7080', origin: 'http://localhost:7080' },
    });
    expect(same.statusCode).toBe(201);
  });
});

describe('checks by the route matched, however the path is spelled', () => {
  it('refuses a cross-origin write through a percent-encoded path', async () => {
    t = await testApp();
    for (const url of ['/%61pi/snapshots', '/api/%73napshots', '/%61pi/collect']) {
      const res = await t.app.inject({
        method: 'POST',
        url,
        payload: fixed,
        headers: { host: 'localhost:7080', origin: 'https://evil.example' },
      });
      expect(res.statusCode, url).toBe(403);
    }
    expect((await t.app.inject('/api/snapshots')).json()).toEqual([]);
  });

  it('refuses an import without a token off loopback through a percent-encoded path', async () => {
    t = await testApp({ access: { loopbackOnly: false } });
    const res = await t.app.inject({ method: 'POST', url: '/%61pi/snapshots', payload: fixed });
    expect(res.statusCode).toBe(403);
    expect(await t.store.count()).toBe(0);
  });

  it('counts writes through encoded paths and unknown paths against the rate limit', async () => {
    t = await testApp({ access: { loopbackOnly: true, writesPerMinute: 3 } });
    const codes: number[] = [];
    for (const url of ['/%61pi/snapshots/x', '/api/snapshots/%41', '/%61pi/nope', '/api/x', '/%61pi/collect']) {
      codes.push((await t.app.inject({ method: 'DELETE', url })).statusCode);
    }
    expect(codes.slice(3)).toEqual([429, 429]);
  });
});

it('serves the web app’s own files without a token, and nothing else: unknown paths need one', async () => {
  const web = mkdtempSync(join(tmpdir(), 'hoplens-web-'));
  mkdirSync(join(web, 'assets'));
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>hoplens</title>');
  writeFileSync(join(web, 'assets', 'app.js'), 'console.log(1)');
  try {
    t = await testApp({ webDist: web, access: { loopbackOnly: false, token: 'y'.repeat(20), authReads: true } });
    const get = (url: string) => t!.app.inject({ url, headers: { host: 'hoplens.example' } });
    expect((await get('/')).body).toContain('<title>hoplens</title>');
    expect((await get('/assets/app.js')).statusCode).toBe(200);
    expect((await get('/s/abc?pod=x')).body).toContain('<title>hoplens</title>');
    for (const url of ['/api/snapshots', '/%61pi/snapshots', '/assets/none.js', '/nope'])
      expect((await get(url)).statusCode, url).toBe(401);
  } finally {
    rmSync(web, { recursive: true, force: true });
  }
});

describe('bound elsewhere', () => {
  it('disables writes when no token is configured, and says how to enable them', async () => {
    t = await testApp({ access: { loopbackOnly: false } });
    const res = await t.app.inject({ method: 'POST', url: '/api/snapshots', payload: fixed });
    expect(res.statusCode).toBe(403);
    expect(res.json<{ message: string }>().message).toContain('--token-file');
    expect((await t.app.inject('/api/snapshots')).statusCode).toBe(200);
  });

  it('rate-limits writes per client with Retry-After', async () => {
    t = await testApp({ access: { loopbackOnly: false, token: 'x'.repeat(20), writesPerMinute: 3 } });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await t.app.inject({
        method: 'DELETE',
        url: `/api/snapshots/${'A'.repeat(22)}`,
        headers: { authorization: `Bearer ${'x'.repeat(20)}` },
      });
      codes.push(res.statusCode);
      if (res.statusCode === 429) expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(codes).toEqual([404, 404, 404, 429, 429]);
  });

  it('also limits writes from all clients together: rotating addresses does not escape it', async () => {
    const token = 'x'.repeat(20);
    t = await testApp({ access: { loopbackOnly: false, token, writesPerMinute: 3, writesPerMinuteTotal: 5 } });
    const codes: number[] = [];
    for (let i = 1; i <= 8; i++) {
      const res = await t.app.inject({
        method: 'DELETE',
        url: `/api/snapshots/${'A'.repeat(22)}`,
        remoteAddress: `127.0.0.${i}`,
        headers: { authorization: `Bearer ${token}` },
      });
      codes.push(res.statusCode);
    }
    expect(codes).toEqual([404, 404, 404, 404, 404, 429, 429, 429]);
  });

  it('answers only to the configured host names, so a DNS-rebinding page cannot read', async () => {
    t = await testApp({ access: { loopbackOnly: false, allowedHosts: ['hoplens.internal', 'hoplens.example:8443'] } });
    const status = async (host: string) =>
      (await t!.app.inject({ url: '/api/snapshots', headers: { host } })).statusCode;
    expect(await status('evil.com')).toBe(403);
    expect(await status('evil.com:7080')).toBe(403);
    expect(await status('hoplens.internal')).toBe(200);
    expect(await status('HOPLENS.internal:7080')).toBe(200);
    expect(await status('hoplens.example:8443')).toBe(200);
    expect(await status('hoplens.example:9999')).toBe(403);
  });

  it('never writes the token to the log', async () => {
    const lines: string[] = [];
    const stream = new Writable({ write: (chunk: Buffer, _e, cb) => (lines.push(chunk.toString()), cb()) });
    const token = 'sup3r-s3cret-t0ken-value';
    t = await testApp({ access: { loopbackOnly: false, token }, logger: { level: 'trace', stream } });
    await t.app.inject({
      method: 'POST',
      url: '/api/snapshots',
      payload: fixed,
      headers: { authorization: `Bearer ${token}` },
    });
    await t.app.inject({
      method: 'DELETE',
      url: `/api/snapshots/${fixed.id}`,
      headers: { authorization: `Bearer ${token}` },
    });
    await t.app.inject({ method: 'GET', url: '/api/snapshots', headers: { authorization: `Bearer wrong-${token}` } });
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.join('')).not.toContain(token);
    expect(lines.some((l) => l.includes('snapshot deleted') && l.includes(fixed.id))).toBe(true);
  });
});

it('sends security headers with a CSP that forbids inline script, and no CORS headers', async () => {
  t = await testApp();
  for (const url of ['/api/snapshots', '/api/nope']) {
    const res = await t.app.inject(url);
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) expect(res.headers[k], `${url} ${k}`).toBe(v);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  }
  const csp = SECURITY_HEADERS['content-security-policy']!;
  expect(csp).toMatch(/script-src 'self'(;|$)/);
  expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
});

it('compares tokens by content only', () => {
  expect(tokenMatches('abcdefghijklmnop', 'abcdefghijklmnop')).toBe(true);
  expect(tokenMatches('abcdefghijklmnop', 'abcdefghijklmnoq')).toBe(false);
  expect(tokenMatches('abcdefghijklmnop', 'abc')).toBe(false);
  expect(tokenMatches('abcdefghijklmnop', undefined)).toBe(false);
});

it('refills the rate limiter over time', () => {
  let now = 0;
  const rl = new RateLimiter(2, 60, () => now);
  expect([rl.take('a').ok, rl.take('a').ok, rl.take('a').ok, rl.take('b').ok]).toEqual([true, true, false, true]);
  now += 1000;
  expect(rl.take('a').ok).toBe(true);
});
