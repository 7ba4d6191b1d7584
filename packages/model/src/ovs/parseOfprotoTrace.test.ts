import { describe, expect, it } from 'vitest';
import { ovsTraceText } from '../testing/ovnFixtures.ts';
import { OfprotoTraceError, parseOfprotoTrace } from './parseOfprotoTrace.ts';

describe('parseOfprotoTrace', () => {
  it('reads the rules a packet met, table by table, and the datapath actions', () => {
    const { sections } = parseOfprotoTrace(ovsTraceText('output'));
    expect(sections).toHaveLength(1);
    expect(sections[0]?.rules.map((r) => [r.table, r.priority, r.cookie])).toEqual([
      [0, 50, '0x5ec00001'],
      [10, 0, '0xac100000'],
      [20, 0, '0xa4900000'],
      [30, 50, '0x12000003'],
    ]);
    expect(sections[0]?.rules[0]).toMatchObject({ bridge: 'br-int', match: 'in_port=1,dl_src=0a:58:0a:84:02:02' });
    expect(sections[0]?.rules[3]?.actions).toEqual(['output:3']);
    expect(sections[0]?.datapathActions).toBe('4');
  });

  it('keeps each rule’s actions, without the notes OVS prints under them', () => {
    const [rule] = parseOfprotoTrace(ovsTraceText('arp-responder')).sections[0]?.rules.slice(2) ?? [];
    expect(rule?.actions[0]).toBe('move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[]');
    expect(rule?.actions.at(-1)).toBe('IN_PORT');
    expect(rule?.actions.some((a) => a.startsWith('->'))).toBe(false);
  });

  it('follows conntrack into the recirculated pass, and gives a nested resubmit’s actions to its own rule', () => {
    const { sections } = parseOfprotoTrace(ovsTraceText('ct-established'));
    expect(sections.map((s) => [s.recirc, s.datapathActions])).toEqual([
      [undefined, 'ct(zone=7),recirc(0x3)'],
      ['0x3', 'set(eth(dst=0a:00:00:00:00:02)),6'],
    ]);
    const [five, six] = sections[1]?.rules ?? [];
    expect(five?.actions).toEqual(['resubmit(,6)', 'mod_dl_dst:0a:00:00:00:00:02', 'output:1']);
    expect(six?.actions).toEqual(['load:0x1->NXM_NX_REG0[]']);
  });

  it('reads a table without a matching rule as a miss', () => {
    const rules = parseOfprotoTrace(ovsTraceText('ct-new-miss')).sections[1]?.rules ?? [];
    expect(rules.at(-1)).toMatchObject({ table: 9, miss: true, match: '' });
  });

  it('keeps a bridge name with quotes and a newline as it is', () => {
    const text = ovsTraceText('output').replace('bridge("br-int")', 'bridge("br"x\ny")');
    expect(parseOfprotoTrace(text).sections[0]?.rules[0]?.bridge).toBe('br"x\ny');
  });

  it.each([
    ['another tool’s output', 'ovs-vswitchd (Open vSwitch) 3.1.0\n'],
    ['an answer cut before its datapath actions', ovsTraceText('output').split('Final flow')[0] ?? ''],
    ['a rule line it cannot read', ovsTraceText('output').replace('priority 0, cookie 0xac100000', 'priority zero')],
    [
      'a section it does not know',
      `${ovsTraceText('output')}\n${'='.repeat(40)}\nbond recirculation\n${'='.repeat(40)}\n`,
    ],
    ['more text than any pipeline prints', 'x'.repeat(5 * 1024 * 1024)],
    ['an empty answer', ''],
  ])('refuses %s, saying why', (_what, text) => {
    expect(() => parseOfprotoTrace(text)).toThrow(OfprotoTraceError);
  });
});
