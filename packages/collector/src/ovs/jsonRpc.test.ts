import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { JsonSplitter, openJsonRpc } from './jsonRpc.ts';

const dir = mkdtempSync(join(tmpdir(), 'hl-jsonrpc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A peer on a unix socket that answers each request by `reply(request, socket)`. */
async function peer(
  reply: (req: { method: string; params: unknown[]; id: number }, s: Socket) => void,
): Promise<{ path: string; server: Server }> {
  const path = join(dir, `${Math.random().toString(36).slice(2)}.sock`);
  const server = createServer((s) => {
    s.on('error', () => undefined);
    const split = new JsonSplitter(1 << 20);
    s.on('data', (d) => {
      for (const m of split.push(d.toString()))
        reply(JSON.parse(m) as { method: string; params: unknown[]; id: number }, s);
    });
  });
  await new Promise<void>((r) => server.listen(path, r));
  return { path, server };
}

describe('JSON-RPC over a unix socket', () => {
  it('cuts back-to-back messages, with braces and quotes inside strings, across chunks', () => {
    const split = new JsonSplitter(1024);
    expect(split.push('{"a":"}{\\"é')).toEqual([]);
    expect(split.push('"}[1,{"b":"]"}]{"c":')).toEqual(['{"a":"}{\\"é"}', '[1,{"b":"]"}]']);
    expect(split.push('2}')).toEqual(['{"c":2}']);
  });

  it('answers calls by id, answers the peer’s echo, and passes on the peer’s error', async () => {
    const { path, server } = await peer((req, s) => {
      if (req.method === 'slow')
        setTimeout(() => s.write(JSON.stringify({ id: req.id, result: 'late', error: null })), 30);
      else if (req.method === 'bad') s.write(JSON.stringify({ id: req.id, error: 'Bad openflow flow syntax: x\n' }));
      else if (req.method === 'echo') return;
      // Ask for an echo first: the session must answer it and still get its own answer.
      else
        s.write(
          `${JSON.stringify({ id: 'echo', method: 'echo', params: [] })}${JSON.stringify({ id: req.id, result: req.params, error: null })}`,
        );
    });
    const session = await openJsonRpc(path);
    const [slow, fast] = await Promise.all([session.call('slow', []), session.call('x', ['{"'])]);
    expect([slow, fast]).toEqual(['late', ['{"']]);
    await expect(session.call('bad', [])).rejects.toThrow('Bad openflow flow syntax: x');
    session.close();
    server.close();
  });

  it('cuts off a peer that answers more than it may, or not at all', async () => {
    const { path, server } = await peer((req, s) => {
      if (req.method === 'big') s.write(JSON.stringify({ id: req.id, result: 'x'.repeat(5000), error: null }));
    });
    const quiet = await openJsonRpc(path, { timeoutMs: 100 });
    await expect(quiet.call('nothing', [])).rejects.toThrow(/no answer within 100 ms/);
    quiet.close();
    const small = await openJsonRpc(path, { maxBytes: 1000 });
    await expect(small.call('big', [])).rejects.toThrow(/larger than 1000 bytes/);
    server.close();
  });

  it('says why it cannot connect', async () => {
    await expect(openJsonRpc(join(dir, 'none.sock'))).rejects.toThrow(/ENOENT/);
  });
});
