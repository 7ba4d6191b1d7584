import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canBuildNetns, iptablesNftBothWays } from '@hoplens/collector/testing';
import { labDown, labUp, newLabPrefix, planLab, SCENARIOS } from '@hoplens/lab';
import type { IptablesTable } from '@hoplens/model';
import { denseNodeKubeProxy } from './kubeProxyNode.ts';

const made: string[] = [];
const run = (argv: string[], input?: string): void => {
  execFileSync(argv[0]!, argv.slice(1), {
    stdio: ['pipe', 'ignore', 'pipe'],
    ...(input === undefined ? {} : { input }),
  });
};
const withoutCounters = (tables: readonly IptablesTable[]): unknown =>
  tables.map((t) => ({
    ...t,
    chains: t.chains.map(({ packets: _p, bytes: _b, ...c }) => c),
    rules: t.rules.map(({ packets: _p, bytes: _b, ...r }) => r),
  }));

/**
 * Rules the helper's dump cannot show as iptables-nft-save does, by lab variant: `-m set` names its
 * ipset by the kernel's index, which only ipset's own socket turns back into a name.
 */
const FALLS_BACK: Readonly<Record<string, RegExp>> = {
  'peer-pod-filters iptables-ok': /^filter INPUT: match set revision 4$/,
};

/**
 * Reads a namespace both ways and expects the helper's decoding to stand, equal to iptables-nft-save's
 * (or to fall back for the reason given). Returns the number of rules and chains compared (1 for
 * the expected fallback).
 */
async function expectSameBothWays(netns: string, fallback?: RegExp): Promise<number> {
  const both = await iptablesNftBothWays(netns);
  expect(both.saved.incompatible).toEqual([]);
  if ('fallback' in both.decoded) {
    if (!fallback?.test(both.decoded.fallback)) throw new Error(`${netns}: not decoded: ${both.decoded.fallback}`);
    return 1;
  }
  expect(withoutCounters(both.decoded.tables)).toEqual(withoutCounters(both.saved.tables));
  return both.saved.tables.reduce((n, t) => n + t.rules.length + t.chains.length, 0);
}

/** The iptables (nft backend) and ipset commands of a lab plan, and the namespaces they need. */
function filterCommands(
  scenario: string,
  variant: string,
  prefix: string,
): { namespaces: string[]; commands: string[][]; files: { path: string; content: string }[] } {
  const plan = planLab({ scenario, variant, prefix });
  const iptables = (argv: readonly string[]): boolean =>
    argv.some((a) => a === 'iptables' || a === 'iptables-nft' || a === 'iptables-nft-restore' || a === 'ipset');
  return {
    namespaces: [...plan.namespaces],
    commands: plan.commands.filter(iptables).map((c) => [...c]),
    files: [...(plan.files ?? [])],
  };
}

/**
 * The oracle: on real namespaces, the rules the helper dumps over netlink decode to exactly what
 * iptables-nft-save prints (counters aside: they may move between the two reads), for kube-proxy's
 * ruleset as the kube-node bench loads it and for every lab scenario's iptables rules. None of them
 * may fall back to iptables-nft-save.
 */
describe.skipIf(!canBuildNetns())('iptables-nft rules read over netlink', () => {
  afterAll(() => {
    for (const ns of made) {
      try {
        run(['ip', 'netns', 'delete', ns]);
      } catch {
        // already gone
      }
    }
  });

  it('decode kube-proxy’s ruleset of the kube-node bench as iptables-nft-save prints it', async () => {
    const ns = `${newLabPrefix()}kube`;
    run(['ip', 'netns', 'add', ns]);
    made.push(ns);
    const ruleset = denseNodeKubeProxy(300, 250);
    run(['ip', 'netns', 'exec', ns, 'iptables-nft-restore'], ruleset.text);
    expect(await expectSameBothWays(ns)).toBe(ruleset.rules + ruleset.chains);
  });

  // Rules nobody here wrote: the CNI plugins' own (ipMasq, firewall, portmap), as the lab runs them.
  it.each(['bridge-masq', 'ptp'])(
    'decode the rules the real CNI plugins add (cni-plugins --variant %s)',
    async (variant) => {
      const prefix = newLabPrefix();
      try {
        const plan = await labUp({ scenario: 'cni-plugins', variant, prefix });
        let compared = 0;
        for (const ns of plan.namespaces) {
          const tables = execFileSync('ip', ['netns', 'exec', ns, 'nft', 'list', 'tables', 'ip'], { encoding: 'utf8' });
          if (tables.trim() !== '') compared += await expectSameBothWays(ns);
        }
        expect(compared).toBeGreaterThan(0);
      } finally {
        await labDown(prefix);
      }
    },
  );

  const variants = [...SCENARIOS.values()].flatMap((s) => s.variants.map((v) => [s.name, v] as const));
  const withRules = variants.filter(([s, v]) => filterCommands(s, v, 'hl-000000-').commands.length > 0);

  it('finds iptables rules in the lab’s scenarios to compare', () => {
    expect(withRules.length).toBeGreaterThan(5);
  });

  it.each(withRules)('decode the rules of lab %s --variant %s', async (scenario, variant) => {
    const prefix = newLabPrefix();
    const plan = filterCommands(scenario, variant, prefix);
    for (const f of plan.files) {
      mkdirSync(dirname(f.path), { recursive: true });
      writeFileSync(f.path, f.content);
    }
    for (const ns of plan.namespaces) {
      run(['ip', 'netns', 'add', ns]);
      made.push(ns);
    }
    for (const argv of plan.commands) run(argv);
    const fallback = FALLS_BACK[`${scenario} ${variant}`];
    let compared = 0;
    for (const ns of plan.namespaces) {
      const tables = execFileSync('ip', ['netns', 'exec', ns, 'nft', 'list', 'tables', 'ip'], { encoding: 'utf8' });
      if (tables.trim() !== '') compared += await expectSameBothWays(ns, fallback);
    }
    expect(compared).toBeGreaterThan(0);
  });
});
