import { askSourcesOvs, collectLocal, createSnapshot, runCommand } from '@hoplens/collector';
import {
  SnapshotIndex,
  traceAsking,
  type HostMap,
  type NetnsRef,
  type Snapshot,
  type TraceResult,
} from '@hoplens/model';
import { labDown } from '../labDown.ts';
import { labUp } from '../labUp.ts';
import { ping } from '../ping.ts';
import type { Flow, LabPlan } from '../scenario.ts';
import { mulberry32 } from '../synthetic/random.ts';
import { pickMutations, placesOf, type Mutation } from './mutations.ts';

/** A healthy variant to break at random: every flow of it works before the dice are thrown. */
export interface FuzzBase {
  readonly scenario: string;
  readonly variant: string;
}

/** One flow after the changes: what the kernel did, what hoplens said, and whether they conflict. */
export interface FuzzRow {
  readonly flow: string;
  readonly kernel: 'delivered' | 'dropped';
  readonly trace: TraceResult['verdict'];
  /** Where hoplens stopped (the first hop not `ok`): its device, verdict and reason. */
  readonly stop: string;
  /** A confident verdict the kernel contradicts (twice: a lone ping's loss is asked again). */
  readonly wrong: boolean;
  /** Every hop of the trace, where it is wrong: what to look at first. */
  readonly hops?: readonly string[];
}

export interface FuzzResult {
  readonly base: FuzzBase;
  readonly seed: number;
  readonly mutations: readonly Mutation[];
  /** Changes whose commands the kernel refused (what they meant to do is not done). */
  readonly refused: readonly string[];
  readonly rows: readonly FuzzRow[];
}

interface PingFlow {
  readonly from: NetnsRef;
  readonly pingNetns: string;
  readonly to: string;
  readonly size?: number;
  readonly df?: boolean;
}

const SETTLE_MS = 2000;

const collectIndex = async (hostMap: HostMap): Promise<SnapshotIndex> =>
  new SnapshotIndex(createSnapshot(await collectLocal(hostMap), 'fuzz'));

/** The base's own pings (not its connections, nor flows it declares beyond hoplens' reach). */
const pingFlows = (plan: LabPlan): PingFlow[] =>
  plan.flows.filter((f: Flow) => !f.connect && f.traceUnknown === undefined && f.refusedAlways === undefined);

/** A few more pings, pod to pod (namespaces the host map lists besides roots), picked by the dice. */
function extraFlows(snapshot: Snapshot, plan: LabPlan, rand: () => number, count: number): PingFlow[] {
  const places = placesOf(snapshot, plan.hostMap);
  const hostOf = new Map(snapshot.hosts.flatMap((h) => h.namespaces.map((ns) => [ns, h.name] as const)));
  const targets = places.flatMap((p) =>
    p.ns.addresses.filter((a) => a.family === 'inet' && a.scope === 'global').map((a) => ({ p, address: a.address })),
  );
  const out: PingFlow[] = [];
  for (let i = 0; i < count * 4 && out.length < count; i++) {
    const from = places[Math.floor(rand() * places.length)];
    const to = targets[Math.floor(rand() * targets.length)];
    if (!from || !to || to.p === from) continue;
    if (out.some((f) => f.pingNetns === from.netns && f.to === to.address)) continue;
    out.push({ from: { host: hostOf.get(from.ns)!, netns: from.netns }, pingNetns: from.netns, to: to.address });
  }
  return out;
}

/** Where a hop happens, as `host/netns/interface`. */
const where = (h: TraceResult['hops'][number]): string => `${h.host}/${h.netns ?? '(root)'}/${h.interface ?? ''}`;

const flowLabel = (f: PingFlow): string =>
  `${f.pingNetns} -> ${f.to}${f.size === undefined ? '' : ` (${f.size} B${f.df ? ', DF' : ''})`}`;

/**
 * Builds the base, throws the dice (`seed`) for `count` changes and makes them for real, collects
 * again and, for every flow, compares trace's verdict with a real ping. The lab is torn down
 * whatever happens. `unknown` is never wrong here: it is hoplens saying it cannot tell.
 */
export async function fuzzCase(base: FuzzBase, seed: number, prefix: string, count = 2): Promise<FuzzResult> {
  const rand = mulberry32(seed);
  const plan = await labUp({ ...base, prefix });
  try {
    const before = createSnapshot(await collectLocal(plan.hostMap), 'fuzz base');
    const flows = [...pingFlows(plan), ...extraFlows(before, plan, rand, 3)];
    const mutations = pickMutations(before, plan.hostMap, rand, count);
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
      // Collected again before each flow: the pings before it leave neighbour entries (a request
      // answered, a resolution failed) that this flow's fate depends on, as trace's does on the snapshot.
      const index = await collectIndex(plan.hostMap);
      const traced = await traceAsking(index, f.from, f.to, { size: f.size, df: f.df }, ask);
      const opts = { ...(f.size === undefined ? {} : { size: f.size }), ...(f.df ? { dontFragment: true } : {}) };
      let pinged = await ping(f.pingNetns, f.to, opts);
      const conflicts = (): boolean =>
        traced.verdict !== 'unknown' && traced.verdict !== (pinged ? 'delivered' : 'dropped');
      // A lone ping can be lost to a neighbour resolution in flight: a conflict is asked once more.
      if (conflicts()) pinged = await ping(f.pingNetns, f.to, opts);
      const wrong = conflicts();
      const stop = traced.hops.find((h) => h.verdict !== 'ok');
      rows.push({
        flow: flowLabel(f),
        kernel: pinged ? 'delivered' : 'dropped',
        trace: traced.verdict,
        stop: stop ? `${where(stop)} ${stop.direction} ${stop.verdict}: ${stop.reason}` : '',
        wrong,
        ...(wrong
          ? { hops: traced.hops.map((h) => `${h.direction} ${where(h)} ${h.component} ${h.verdict}: ${h.reason}`) }
          : {}),
      });
    }
    return { base, seed, mutations, refused, rows };
  } finally {
    await labDown(prefix).catch(() => undefined);
  }
}
