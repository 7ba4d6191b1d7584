import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TSchema } from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AgentProbeRequestSchema,
  HostMapSchema,
  OvsTraceRequestSchema,
  printable,
  SchemaError,
  validate,
} from '@hoplens/model';

/** The built CLI (vitest's globalSetup builds it): its agent is agent.js, a bundle of its own. */
const MAIN = fileURLToPath(new URL('../dist/hoplens.js', import.meta.url));
const TOKEN = 'agent-test-token-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'hoplens-agent-'));
const tokenFile = join(dir, 'token');
writeFileSync(tokenFile, TOKEN, { mode: 0o600 });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** validate()'s words for a value it refuses: what the built agent must say, loading TypeBox only then. */
function refusal(schema: TSchema, value: unknown, what: string, once = false): string {
  try {
    validate(schema, value, what, { once });
  } catch (e) {
    if (e instanceof SchemaError) return e.message;
    throw e;
  }
  throw new Error(`validate() accepts the ${what}`);
}

describe('the built agent’s host map', () => {
  it.each<[string, unknown]>([
    ['no hosts', { hosts: [] }],
    [
      'a host name and a netns outside their patterns',
      { hosts: [{ name: '-x', kind: 'node', root: null, netns: ['../x'] }] },
    ],
    ['an escaping socket', { hosts: [{ name: 'n', kind: 'node', root: null, netns: [], ovsDbSocket: '/a/../b' }] }],
    ['a list', [1]],
  ])('is refused with %s, naming its problems as readConfig does', async (_what, map) => {
    const file = join(dir, 'bad-hosts.json');
    writeFileSync(file, JSON.stringify(map));
    const message = refusal(HostMapSchema, map, 'host map', true);
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const args = ['agent', '--listen', '127.0.0.1:0', '--token-file', tokenFile, '--hosts', file];
      execFile(process.execPath, [MAIN, ...args], { encoding: 'utf8' }, (err, stdout, stderr) => {
        resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr });
      });
    });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`hoplens: ${printable(`${file}: ${message}`)}\n`);
  });
});

describe('the built agent’s requests', () => {
  let url = '';
  let stop: () => void = () => undefined;

  beforeAll(async () => {
    const hosts = join(dir, 'hosts.json');
    writeFileSync(
      hosts,
      JSON.stringify({ hosts: [{ name: 'n', kind: 'node', root: 'hl-agent-test-none', netns: [] }] }),
    );
    const args = ['agent', '--listen', '127.0.0.1:0', '--token-file', tokenFile, '--hosts', hosts, '--allow-probe'];
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    stop = () => child.kill('SIGTERM');
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /(http:\/\/\S+)\/v1\/inventory/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`hoplens agent exited ${code}`)));
    });
  });
  afterAll(() => stop());

  const auth = { authorization: `Bearer ${TOKEN}` };
  const ask = async (query: Record<string, string>) => {
    const res = await fetch(`${url}/v1/ofproto-trace?${new URLSearchParams(query).toString()}`, { headers: auth });
    return { status: res.status, message: ((await res.json()) as { message?: string }).message };
  };
  const FLOW = 'icmp,in_port=2,nw_src=10.132.2.10,nw_dst=10.132.2.2,icmp_type=8';

  it.each<[string, Record<string, string>]>([
    ['a flow with shell syntax', { bridge: 'br-int', flow: `${FLOW};reboot` }],
    ['a conntrack state that looks like an option', { bridge: 'br-int', flow: FLOW, ctNext: '--help' }],
    ['a bridge name with a newline and no flow', { bridge: 'br\nint' }],
  ])('refuses the ofproto/trace question with %s in validate’s words', async (_what, query) => {
    expect(await ask(query)).toEqual({
      status: 400,
      message: refusal(OvsTraceRequestSchema, query, 'ofproto/trace question', true),
    });
  });

  it('asks its own switch a well-formed question (a host it does not have: no source reaches it)', async () => {
    expect(await ask({ bridge: 'br-int', flow: FLOW, host: 'other' })).toEqual({
      status: 422,
      message: 'no source of this server reaches host other',
    });
    expect(await ask({ bridge: 'br-int', flow: FLOW })).toEqual({
      status: 422,
      message: 'host n has no Open vSwitch socket in the host map',
    });
  });

  const probe = {
    mark: { icmpId: 4242, pattern: '686c7072' },
    watch: [{ host: 'n', netns: 'elsewhere', interface: 'eth0' }],
    windowMs: 2000,
  };
  const post = async (body: unknown) => {
    const res = await fetch(`${url}/v1/probe`, { method: 'POST', headers: auth, body: JSON.stringify(body) });
    return { status: res.status, message: ((await res.json()) as { message?: string }).message };
  };

  it.each<[string, unknown]>([
    [
      'too many echoes',
      { ...probe, send: { from: { host: 'n', netns: null }, to: '10.0.0.1', count: 11, size: 56, df: false } },
    ],
    ['a pattern that is not hex and a window too short', { ...probe, mark: { icmpId: 1, pattern: 'zz' }, windowMs: 1 }],
    ['no watch', { mark: probe.mark, windowMs: 2000 }],
    ['a list', [probe]],
  ])('refuses the probe request with %s in validate’s words', async (_what, body) => {
    expect(await post(body)).toEqual({ status: 400, message: refusal(AgentProbeRequestSchema, body, 'probe request') });
  });

  it('takes a well-formed probe request to its next check (namespaces of its own hosts only)', async () => {
    expect(await post(probe)).toEqual({ status: 400, message: expect.stringContaining('elsewhere') as string });
  });
});
