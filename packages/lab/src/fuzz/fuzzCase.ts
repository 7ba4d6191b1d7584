import { askSourcesOvs, collectLocal, createSnapshot, runCommand } from '@hoplens/collector';
import { SnapshotIndex, type HostMap } from '@hoplens/model';
import { labDown } from '../labDown.ts';
import { labUp } from '../labUp.ts';
import { mulberry32 } from '../synthetic/random.ts';
import { baseFlows, extraFlows } from './fuzzFlows.ts';
import { judgeFlow, type FuzzRow } from './judgeFlow.ts';
import type { Mutation } from './mutation.ts';
import { pickMutations } from './mutations.ts';

/** A healthy variant to break at random: every flow of it works before the dice are thrown. */
export interface FuzzBase {
  readonly scenario: string;
  readonly variant: string;
}

export interface FuzzResult {
  readonly base: FuzzBase;
  readonly seed: number;
  readonly mutations: readonly Mutation[];
  /** Changes whose commands the kernel refused (what they meant to do is not done). */
  readonly refused: readonly string[];
  readonly rows: readonly FuzzRow[];
}

const SETTLE_MS = 2000;

const collectIndex = async (hostMap: HostMap): Promise<SnapshotIndex> =>
  new SnapshotIndex(createSnapshot(await collectLocal(hostMap), 'fuzz'));

/**
 * Builds the base, throws the dice (`seed`) for `count` changes and makes them for real, collects
 * again and, for every flow, compares trace's verdict with a real ping or real connections. The lab
 * is torn down whatever happens. `unknown` is never wrong here: it is hoplens saying it cannot tell.
 */
export async function fuzzCase(base: FuzzBase, seed: number, prefix: string, count = 2): Promise<FuzzResult> {
  const rand = mulberry32(seed);
  const plan = await labUp({ ...base, prefix });
  const servers = plan.servers ?? [];
  try {
    const before = createSnapshot(await collectLocal(plan.hostMap), 'fuzz base');
    const flows = [...baseFlows(plan), ...extraFlows(before, plan, rand, 3)];
    const mutations = pickMutations(before, plan.hostMap, rand, count, { prefix, servers });
    const refused: string[] = [];
    for (const m of mutations) {
      try {
        for (const argv of m.commands) await runCommand(argv);
      } catch (e) {
        refused.push(`${m.label}: ${(e as Error).message.split('\n')[0] ?? ''}`);
      }
    }
    // Let what the changes set off settle before anything is read: IPv6 duplicate address
    // detection of an address brought back (about a second), a neighbour entry they made stale.
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    const ask = (q: Parameters<typeof askSourcesOvs>[1]) =>
      askSourcesOvs({ sources: [{ kind: 'local', hosts: plan.hostMap.hosts }] }, q);
    const rows: FuzzRow[] = [];
    for (const f of flows) {
      // Collected again before each flow: the flows before it leave neighbour entries (a request
      // answered, a resolution failed) that this flow's fate depends on, as trace's does on the snapshot.
      rows.push(await judgeFlow(await collectIndex(plan.hostMap), f, ask, servers));
    }
    return { base, seed, mutations, refused, rows };
  } finally {
    await labDown(prefix).catch(() => undefined);
  }
}
