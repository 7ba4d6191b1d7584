import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { parseDpifShow } from './parseDpifShow.ts';

const recorded = readFileSync(new URL('../../fixtures/ovs/dpif-show.txt', import.meta.url), 'utf8');

it('maps each port of each bridge to its datapath port number', () => {
  expect(parseDpifShow(recorded)).toEqual(
    new Map([
      [
        'br-int',
        new Map([
          ['br-int', 1],
          ['ovn-k8s-mp0', 2],
          ['veth-a', 3],
          ['veth-seed', 4],
        ]),
      ],
    ]),
  );
});

it('reads names with spaces and quotes, and skips what it cannot read rather than guessing', () => {
  const text = `netdev@ovs-netdev: hit:1 missed:1\n  br "x:\n    a b"c 5/7: (system)\n    broken\nline 6/8: (system)\n    p none/none:\n`;
  expect(parseDpifShow(text)).toEqual(new Map([['br "x', new Map([['a b"c', 7]])]]));
});
