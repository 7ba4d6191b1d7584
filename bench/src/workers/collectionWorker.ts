import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { collectLocal } from '@hoplens/collector';
import { HostMapSchema, validate } from '@hoplens/model';
import { progress } from '../childRun.ts';
import { median } from '../stats.ts';

/**
 * hoplens' collector (in-process, as the server and agent run it) against plotnetcfg on the same
 * namespaces, in alternating rounds. CPU is this process's own time plus its waited-for children
 * (the netlink helper; unshare and plotnetcfg), from /proc/self/stat.
 */
const { values } = parseArgs({ options: { hosts: { type: 'string' }, rounds: { type: 'string', default: '10' } } });
const map = validate(HostMapSchema, JSON.parse(readFileSync(values.hosts!, 'utf8')), 'host map');
const rounds = Number(values.rounds);
const TICK_MS = 10; // USER_HZ is 100 on Linux

/** utime + stime + cutime + cstime of this process, in ms. */
function cpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * TICK_MS;
}

const plot = (): string =>
  execFileSync('unshare', ['-p', '-f', '--mount-proc', 'plotnetcfg', '-f', 'json'], {
    encoding: 'utf8',
    maxBuffer: 256 * 2 ** 20,
  });

// What each one collects, counted once (outside the timed rounds).
const first = performance.now();
const inv = await collectLocal(map);
const firstMs = performance.now() - first;
const namespaces = inv.flatMap((h) => h.namespaces);
const ours = {
  namespaces: namespaces.length,
  interfaces: namespaces.reduce((n, ns) => n + ns.links.length, 0),
  addresses: namespaces.reduce((n, ns) => n + ns.addresses.length, 0),
  routes: namespaces.reduce((n, ns) => n + ns.routes.length, 0),
  neighbors: namespaces.reduce((n, ns) => n + ns.neighbors.length, 0),
  fdb: namespaces.reduce((n, ns) => n + (ns.fdb?.length ?? 0), 0),
  tcFilters: namespaces.reduce((n, ns) => n + ns.tcFilters.length, 0),
  errors: inv.reduce((n, h) => n + h.errors.length, 0),
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
    const c = cpuMs();
    const t = performance.now();
    if (who === 'hoplens') await collectLocal(map);
    else plot();
    samples[who].wall.push(performance.now() - t);
    samples[who].cpu.push(cpuMs() - c);
  }
  progress(`collection: round ${r + 1}/${rounds}`);
}
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
process.stdout.write(
  `${JSON.stringify({
    rounds,
    firstMs,
    hoplens: {
      wallMedianMs: median(samples.hoplens.wall),
      cpuMsPerRun: sum(samples.hoplens.cpu) / rounds,
      collected: ours,
    },
    plotnetcfg: {
      wallMedianMs: median(samples.plotnetcfg.wall),
      cpuMsPerRun: sum(samples.plotnetcfg.cpu) / rounds,
      collected: theirs,
    },
    samples,
  })}\n`,
);
