import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostInventory } from '@hoplens/model';
import { collectLocal } from '../src/collectLocal.ts';
import { runCommand } from '../src/runCommand.ts';
import { canBuildNetns } from '../src/testing/requireNetns.ts';

const prefix = `hl-${randomBytes(3).toString('hex')}-`;
const hostile = `${prefix}hostile`;
const big = `${prefix}big`;
const plain = `${prefix}plain`;
const TABLE = 't;flush ruleset $(touch /tmp/pwned)';
const COMMENT = 'a "quoted" $(rm -rf /) \\ and\n-A INPUT -j ACCEPT';
const BIG_RULES = 100_000;

/**
 * Rulesets are hostile input: names nft's own command line would refuse (only its JSON input, or
 * raw netlink, makes them), comments with quotes, newlines and `$()`, and a namespace with 100,000
 * rules. Both backends read them as text, never run them, and the other namespaces are collected
 * as if nothing happened.
 */
describe.skipIf(!canBuildNetns())('hostile rulesets', () => {
  let dir: string;
  let netlink: HostInventory[];
  let iproute2: HostInventory[];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hoplens-fw-'));
    for (const ns of [hostile, big, plain]) await runCommand(['ip', 'netns', 'add', ns]);
    const nftJson = join(dir, 'hostile.json');
    await writeFile(
      nftJson,
      JSON.stringify({
        nftables: [
          { add: { table: { family: 'ip', name: TABLE } } },
          {
            add: {
              chain: {
                family: 'ip',
                table: TABLE,
                name: 'in\nput',
                type: 'filter',
                hook: 'input',
                prio: 0,
                policy: 'accept',
              },
            },
          },
          { add: { rule: { family: 'ip', table: TABLE, chain: 'in\nput', comment: COMMENT, expr: [{ drop: null }] } } },
        ],
      }),
    );
    await runCommand(['ip', 'netns', 'exec', hostile, 'nft', '-j', '-f', nftJson]);
    await runCommand([
      'ip',
      'netns',
      'exec',
      hostile,
      'iptables-nft',
      '-A',
      'INPUT',
      '-m',
      'comment',
      '--comment',
      COMMENT,
      '-j',
      'DROP',
    ]);
    const rules = [
      '*filter',
      ':INPUT ACCEPT [0:0]',
      ':HL-BIG - [0:0]',
      ...Array.from(
        { length: BIG_RULES },
        (_, i) =>
          `-A HL-BIG -s 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32 -p tcp -m tcp --dport ${1000 + (i % 50000)} -j DROP`,
      ),
      '-A INPUT -j HL-BIG',
      'COMMIT',
      '',
    ].join('\n');
    await writeFile(join(dir, 'big.rules'), rules);
    // The legacy backend: the kernel's nf_tables dumps of one 100,000-rule chain take minutes.
    await runCommand(['ip', 'netns', 'exec', big, 'iptables-legacy-restore', join(dir, 'big.rules')], 120_000);
    const map = { hosts: [{ name: 'h', kind: 'other' as const, root: plain, netns: [hostile, big] }] };
    netlink = await collectLocal(map, { backend: 'netlink' });
    iproute2 = await collectLocal(map, { backend: 'iproute2' });
  }, 300_000);
  afterAll(async () => {
    for (const ns of [hostile, big, plain]) await runCommand(['ip', 'netns', 'del', ns]).catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const nsOf = (hosts: HostInventory[], name: string) => hosts[0]!.namespaces.find((n) => n.name === name)!;

  it.each([
    ['netlink', () => netlink],
    ['iproute2', () => iproute2],
  ])('%s: reads the nft table by its hostile name, and keeps every name and comment as text', (_, hosts) => {
    const fw = nsOf(hosts(), hostile).firewall!;
    expect(fw.gaps).toEqual([]);
    const table = fw.nftables.find((t) => t.name === TABLE)!;
    expect(table.chains.map((c) => c.name)).toEqual(['in\nput']);
    expect(table.rules[0]).toMatchObject({ chain: 'in\nput', comment: COMMENT, expr: [{ drop: null }] });
    const rules = fw.iptables.find((t) => t.name === 'filter')!.rules;
    expect(rules).toHaveLength(1);
    expect(rules[0]!.args).toEqual(['-m', 'comment', '--comment', COMMENT, '-j', 'DROP']);
    expect(hosts()[0]!.errors).toEqual([]);
  });

  it.each([
    ['netlink', () => netlink],
    ['iproute2', () => iproute2],
  ])('%s: reads all 100,000 rules of the big namespace, and the others as before', (_, hosts) => {
    const fw = nsOf(hosts(), big).firewall!;
    expect(fw.iptables.find((t) => t.name === 'filter')!.rules).toHaveLength(BIG_RULES + 1);
    expect(nsOf(hosts(), plain).firewall).toEqual({ nftables: [], iptables: [], ipsets: [], gaps: [] });
  });

  it('ran nothing it read', async () => {
    await expect(runCommand(['test', '-e', '/tmp/pwned'])).rejects.toThrow();
    // The hostile namespace still has its rules: no `flush ruleset` ran.
    expect(await runCommand(['ip', 'netns', 'exec', hostile, 'nft', '-j', 'list', 'tables'])).toContain(
      'flush ruleset',
    );
  });
});
