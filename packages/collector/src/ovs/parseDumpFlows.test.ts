import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../parse/parseError.ts';
import { parseDumpFlows } from './parseDumpFlows.ts';

const recorded = readFileSync(new URL('../../fixtures/ovs/dump-flows.txt', import.meta.url), 'utf8');

describe('parseDumpFlows', () => {
  it('reads every rule of the lab’s pipeline with table, priority, cookie, match, actions and counters', () => {
    const { flows, total } = parseDumpFlows(recorded);
    expect(total).toBeUndefined();
    expect(flows).toHaveLength(recorded.trim().split('\n').length - 1);
    expect(flows[0]).toEqual({
      table: 0,
      priority: 50,
      cookie: '0x5ec00001',
      match: [
        { field: 'in_port', value: '1' },
        { field: 'dl_src', value: '0a:58:0a:84:02:02' },
      ],
      actions: ['resubmit(,10)'],
      packets: 5,
      bytes: 390,
    });
    const responder = flows.find((f) => f.table === 20 && f.priority === 50);
    expect(responder?.match[0]).toEqual({ field: 'arp' });
    expect(responder?.actions.at(-1)).toBe('IN_PORT');
    expect(flows.find((f) => f.cookie === '0x5ec0dead')).toMatchObject({ match: [], actions: ['drop'] });
  });

  it('keeps the first rules of a huge table and says how many there were', () => {
    const line = recorded.split('\n')[1]!;
    const huge = `NXST_FLOW reply (xid=0x4):\n${`${line}\n`.repeat(100_000)}`;
    const { flows, total } = parseDumpFlows(huge, 20_000);
    expect(flows).toHaveLength(20_000);
    expect(total).toBe(100_000);
  });

  it('reads the default priority OVS leaves out, and actions with nested commas', () => {
    const { flows } = parseDumpFlows(
      ' cookie=0x0, duration=1.0s, table=3, n_packets=0, n_bytes=0, ip actions=ct(commit,zone=5,exec(load:0x1->NXM_NX_CT_MARK[])),output:2\n',
    );
    expect(flows[0]).toMatchObject({ table: 3, priority: 32768, match: [{ field: 'ip' }] });
    expect(flows[0]?.actions).toEqual(['ct(commit,zone=5,exec(load:0x1->NXM_NX_CT_MARK[]))', 'output:2']);
  });

  it.each([
    ['garbage', 'hello world\n'],
    ['a rule cut short', recorded.slice(0, recorded.indexOf(' actions=', 100))],
    ['unbalanced actions', ' cookie=0x0, table=0, priority=1 actions=ct(commit\n'],
    ['a table past 255', ' cookie=0x0, table=999, priority=1 actions=drop\n'],
    ['a match field with a quote', ' cookie=0x0, table=0, priority=1,in"port=1 actions=drop\n'],
  ])('refuses %s, naming the command', (_what, text) => {
    expect(() => parseDumpFlows(text)).toThrow(ParseError);
    expect(() => parseDumpFlows(text)).toThrow(/ovs-ofctl dump-flows/);
  });
});
