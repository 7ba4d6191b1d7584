import { execFileSync } from 'node:child_process';
import { collectLocal } from '@hoplens/collector';
import type { HostInventory, HostMap } from '@hoplens/model';
import { progress } from '../childRun.ts';
import { processTreeCpuMs } from '../processCpu.ts';
import { median } from '../stats.ts';

const plot = (): string =>
  execFileSync('unshare', ['-p', '-f', '--mount-proc', 'plotnetcfg', '-f', 'json'], {
    encoding: 'utf8',
    maxBuffer: 256 * 2 ** 20,
  });

/** One side of the comparison: median wall time, CPU per run, and what it collected (counted once). */
export interface CollectSide {
  readonly wallMedianMs: number;
  readonly cpuMsPerRun: number;
  readonly collected: Record<string, number>;
}

/** hoplens against plotnetcfg on the same namespaces. */
export interface CollectRounds {
  readonly rounds: number;
  readonly firstMs: number;
  readonly hoplens: CollectSide;
  readonly plotnetcfg: CollectSide;
  readonly samples: Record<'hoplens' | 'plotnetcfg', { wall: number[]; cpu: number[] }>;
}

/**
 * hoplens' collector (in-process, as the server and agent run it) against plotnetcfg on the same
 * namespaces, in alternating rounds. CPU is this process's own time plus its children's, waited-for
 * (unshare and plotnetcfg) or still running (the served netlink helper and its forks).
 */
export async function collectRounds(
  map: HostMap,
  rounds: number,
): Promise<{ readonly result: CollectRounds; readonly inventory: HostInventory[] }> {
  // What each one collects, counted once (outside the timed rounds).
  const first = performance.now();
  const inventory = await collectLocal(map);
  const firstMs = performance.now() - first;
  const namespaces = inventory.flatMap((h) => h.namespaces);
  const sum = (f: (ns: (typeof namespaces)[number]) => number): number => namespaces.reduce((n, ns) => n + f(ns), 0);
  const ours = {
    namespaces: namespaces.length,
    interfaces: sum((ns) => ns.links.length),
    addresses: sum((ns) => ns.addresses.length),
    routes: sum((ns) => ns.routes.length),
    neighbors: sum((ns) => ns.neighbors.length),
    fdb: sum((ns) => ns.fdb?.length ?? 0),
    tcFilters: sum((ns) => ns.tcFilters.length),
    iptablesRules: sum((ns) => (ns.firewall?.iptables ?? []).reduce((n, t) => n + t.rules.length, 0)),
    errors: inventory.reduce((n, h) => n + h.errors.length, 0),
  };
  const theirsJson = JSON.parse(plot()) as {
    namespaces?: { interfaces?: { addresses?: unknown[]; routes?: unknown[] }[] }[];
  };
  const theirNs = theirsJson.namespaces ?? [];
  const theirs = {
    namespaces: theirNs.length,
    interfaces: theirNs.reduce((n, ns) => n + (ns.interfaces?.length ?? 0), 0),
    addresses: theirNs.reduce(
      (n, ns) => n + (ns.interfaces ?? []).reduce((m, i) => m + (i.addresses?.length ?? 0), 0),
      0,
    ),
  };
  const samples = {
    hoplens: { wall: [] as number[], cpu: [] as number[] },
    plotnetcfg: { wall: [] as number[], cpu: [] as number[] },
  };
  for (let r = 0; r < rounds; r++) {
    for (const who of r % 2 === 0 ? (['hoplens', 'plotnetcfg'] as const) : (['plotnetcfg', 'hoplens'] as const)) {
      const c = processTreeCpuMs('self');
      const t = performance.now();
      if (who === 'hoplens') await collectLocal(map);
      else plot();
      samples[who].wall.push(performance.now() - t);
      samples[who].cpu.push(processTreeCpuMs('self') - c);
    }
    progress(`collection: round ${r + 1}/${rounds}`);
  }
  const total = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  const result = {
    rounds,
    firstMs,
    hoplens: {
      wallMedianMs: median(samples.hoplens.wall),
      cpuMsPerRun: total(samples.hoplens.cpu) / rounds,
      collected: ours,
    },
    plotnetcfg: {
      wallMedianMs: median(samples.plotnetcfg.wall),
      cpuMsPerRun: total(samples.plotnetcfg.cpu) / rounds,
      collected: theirs,
    },
    samples,
  };
  return { result, inventory };
}
