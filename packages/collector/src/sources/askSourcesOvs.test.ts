import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OvsQuery, SourcesConfig } from '@hoplens/model';
import { askSourcesOvs } from './askSourcesOvs.ts';

const Q: OvsQuery = { host: 'node-1', bridge: 'br-int', flow: 'icmp,in_port=1', ctNext: 'trk,new' };

describe('asking a host’s switch through the server’s sources', () => {
  let server: Server;
  let url: string;
  /** What the fake agent answers, by the flow it is asked about. */
  const answers: Record<string, { status: number; body: unknown }> = {};
  beforeAll(async () => {
    server = createServer((req, res) => {
      const flow = new URL(req.url ?? '', 'http://x').searchParams.get('flow') ?? '';
      const a = answers[flow] ?? { status: 404, body: { message: 'this agent has no Open vSwitch to ask' } };
      res.writeHead(a.status, { 'content-type': 'application/json' }).end(JSON.stringify(a.body));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => server.close());
  const config = (): SourcesConfig => ({ sources: [{ kind: 'agent', name: 'node-1', url }] });
  const answer = {
    bridge: 'br-int',
    flow: Q.flow,
    ctNext: 'trk,new',
    output: 'Datapath actions: drop\n',
    answeredAt: 'now',
  };

  it('asks the agent of that host and takes its answer to exactly this question', async () => {
    answers[Q.flow] = { status: 200, body: { answer } };
    expect(await askSourcesOvs(config(), Q)).toEqual({ answer });
  });

  it('refuses an answer to another question, or one that is not an answer', async () => {
    answers['icmp,in_port=2'] = { status: 200, body: { answer } };
    expect(await askSourcesOvs(config(), { ...Q, flow: 'icmp,in_port=2' })).toEqual({
      error: 'agent node-1 answered another question',
    });
    answers['icmp,in_port=3'] = { status: 200, body: { answer: { output: 7 } } };
    expect(await askSourcesOvs(config(), { ...Q, flow: 'icmp,in_port=3' })).toMatchObject({
      error: expect.stringMatching(/agent node-1/),
    });
  });

  it('passes on the agent’s refusal, and names a host no source reaches', async () => {
    expect(await askSourcesOvs(config(), { ...Q, flow: 'icmp,in_port=9' })).toEqual({
      error: 'agent node-1 answered 404: this agent has no Open vSwitch to ask',
    });
    expect(await askSourcesOvs(config(), { ...Q, host: 'node-2' })).toEqual({
      error: 'no source of this server reaches host node-2',
    });
  });

  it('says a local host without a switch socket has none to ask', async () => {
    const local: SourcesConfig = {
      sources: [{ kind: 'local', hosts: [{ name: 'node-1', kind: 'node', root: 'hl-x-w', netns: [] }] }],
    };
    expect(await askSourcesOvs(local, Q)).toEqual({ error: 'host node-1 has no Open vSwitch socket in the host map' });
  });
});
