/**
 * Proves that building a lab with batched commands (labUp) leaves the kernel as building it one
 * command per process did: for each variant, alternately, it builds the lab the old way and the
 * new, collects each (collectLocal, as `hoplens collect`) and prints where the two snapshots differ,
 * with the time each build took. Same prefix both times, so names match. Needs root.
 *   sudo pnpm exec tsx packages/lab/scripts/compareUp.ts [scenario[/variant]...]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { collectLocal, runCommand } from '@hoplens/collector';
import { labDown, labUp, planLab, SCENARIOS } from '../src/index.ts';
import { cniAdd } from '../src/cni/runCni.ts';
import { serverScript, serversListening, serverStartCommands } from '../src/l4/l4Servers.ts';
import type { LabPlan } from '../src/scenario.ts';

const PREFIX = 'hl-cmpup-';
const SETTLE_MS = Number(process.env.COMPARE_UP_SETTLE_MS ?? 2500);

/** labUp as it was before batching: one process per command. */
async function upOneByOne(plan: LabPlan): Promise<void> {
  const servers = plan.servers ?? [];
  for (const f of [...(plan.files ?? []), ...(servers.length > 0 ? [serverScript(plan.prefix)] : [])]) {
    await mkdir(dirname(f.path), { recursive: true });
    await writeFile(f.path, f.content, { mode: 0o644 });
  }
  for (const ns of plan.namespaces) await runCommand(['ip', 'netns', 'add', ns]);
  for (const argv of plan.commands) await runCommand(argv);
  for (const a of plan.cni ?? []) await cniAdd(plan.prefix, a);
  for (const s of servers) for (const argv of serverStartCommands(plan.prefix, s)) await runCommand(argv);
  await serversListening(plan.prefix, servers);
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * A collection as a set of facts free of what differs between any two builds, the old way's too:
 * the time, counters, ifindexes (given as the device's name), MACs the kernel drew at random and the
 * IPv6 link-local addresses made from them (given as the device they belong to); lists as sorted sets.
 */
function facts(inventories: unknown): Set<string> {
  const hosts = inventories as { name: string; namespaces: Record<string, Json>[] }[];
  // MACs and link-local addresses of every namespace first: a learnt MAC is another namespace's link.
  const alias = new Map<string, string>();
  for (const host of hosts) {
    for (const ns of host.namespaces) {
      const where = `${host.name}/${ns.name as string}`;
      const links = (ns.links ?? []) as { ifindex: number; name: string; mac?: string; kind?: string }[];
      const byIndex = new Map(links.map((l) => [l.ifindex, l.name]));
      // A bridge with no MAC of its own takes a port's: which one depends on the random draws.
      for (const l of links)
        if (l.mac !== undefined && l.kind !== 'bridge') alias.set(l.mac, `mac(${where}/${l.name})`);
      for (const l of links) if (l.mac !== undefined && !alias.has(l.mac)) alias.set(l.mac, `mac(${where}/${l.name})`);
      for (const a of (ns.addresses ?? []) as { ifindex: number; address: string }[]) {
        if (!a.address.startsWith('fe80:')) continue;
        const dev = `${where}/${byIndex.get(a.ifindex) ?? a.ifindex}`;
        alias.set(a.address, `ll(${dev})`);
        // Its solicited-node multicast group, as the device's fdb lists it.
        const low = a.address
          .split(':')
          .slice(-2)
          .map((h) => h.padStart(4, '0'))
          .join('');
        alias.set(`33:33:ff:${low.slice(2, 4)}:${low.slice(4, 6)}:${low.slice(6, 8)}`, `snm(${dev})`);
      }
    }
  }
  const out = new Set<string>();
  for (const host of hosts) {
    for (const ns of host.namespaces) {
      const where = `${host.name}/${ns.name as string}`;
      const links = (ns.links ?? []) as { ifindex: number; name: string; mac?: string }[];
      const byIndex = new Map(links.map((l) => [l.ifindex, l.name]));
      const portMacs = new Set(links.map((l) => l.mac));
      const norm = (v: Json, parent?: Record<string, Json>): Json => {
        if (Array.isArray(v))
          return v.map((x) => norm(x)).sort((x, y) => (JSON.stringify(x) < JSON.stringify(y) ? -1 : 1));
        if (v !== null && typeof v === 'object') {
          const o: Record<string, Json> = {};
          for (const [k, x] of Object.entries(v)) {
            if (k === 'stats' || k === 'collectedAt') continue;
            if (
              k === 'mac' &&
              v.kind === 'bridge' &&
              typeof x === 'string' &&
              [...portMacs].filter((m) => m === x).length > 0 &&
              links.filter((l) => l.mac === x).length > 1
            ) {
              o[k] = "a port's MAC";
              continue;
            }
            o[k] = /ifindex|Index$/.test(k) && typeof x === 'number' ? (byIndex.get(x) ?? x) : norm(x, v);
          }
          return o;
        }
        void parent;
        return typeof v === 'string'
          ? v.replace(/^([0-9a-f:]+)(\/\d+)?$/, (_m, a: string, len = '') => (alias.get(a) ?? a) + len)
          : v;
      };
      for (const [k, v] of Object.entries(ns)) {
        if (Array.isArray(v)) for (const x of v) out.add(`${where} ${k} ${JSON.stringify(norm(x))}`);
        else out.add(`${where} ${k} ${JSON.stringify(norm(v))}`);
      }
    }
  }
  return out;
}

const wanted = process.argv.slice(2);
const cases = [...SCENARIOS.values()]
  .flatMap((s) => s.variants.map((v) => [s.name, v] as const))
  .filter(([s, v]) => s !== 'dense-node' || v === '16')
  .filter(([s, v]) => wanted.length === 0 || wanted.includes(s) || wanted.includes(`${s}/${v}`));

let oldMs = 0;
let newMs = 0;
const diffs = new Map<string, number>();
for (const [scenario, variant] of cases) {
  const plan = planLab({ scenario, variant, prefix: PREFIX });
  const snaps: Set<string>[] = [];
  const ms: number[] = [];
  for (const way of ['old', 'new'] as const) {
    const t0 = performance.now();
    if (way === 'old') await upOneByOne(plan);
    else await labUp({ scenario, variant, prefix: PREFIX });
    ms.push(performance.now() - t0);
    // The kernel's own timers (IPv6 DAD, learnt neighbours and fdb entries) run after any build: a
    // faster build is collected before they ran, not in a different state. Let both settle alike.
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    snaps.push(facts(await collectLocal(plan.hostMap)));
    await labDown(PREFIX);
  }
  oldMs += ms[0]!;
  newMs += ms[1]!;
  const [a, b] = snaps as [Set<string>, Set<string>];
  const lines: string[] = [];
  for (const [from, to, sign] of [
    [a, b, '-'],
    [b, a, '+'],
  ] as const) {
    for (const f of from) {
      if (to.has(f)) continue;
      lines.push(`  ${sign} ${f}`);
      const kind = f
        .split(' ')
        .slice(0, 2)
        .join(' ')
        .replace(/^[^ ]*\//, '');
      diffs.set(`${sign} ${kind}`, (diffs.get(`${sign} ${kind}`) ?? 0) + 1);
    }
  }
  console.log(
    `${scenario}/${variant} | old ${Math.round(ms[0]!)} ms | new ${Math.round(ms[1]!)} ms | ${lines.length} differences`,
  );
  if (process.env.COMPARE_UP_VERBOSE === '1') console.log(lines.join('\n'));
}
console.log(`total: old ${Math.round(oldMs)} ms, new ${Math.round(newMs)} ms, ${cases.length} variants`);
console.log(
  [...diffs]
    .sort((x, y) => y[1] - x[1])
    .map(([f, n]) => `${n} ${f}`)
    .join('\n'),
);
