import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { labDown, labUp, newLabPrefix } from '@hoplens/lab';
import { progress, runWorker } from '../childRun.ts';
import { SkipSuite, type Figure, type SuiteResult } from '../figure.ts';
import { sameWork } from '../sameWork.ts';
import { ms } from '../stats.ts';

interface Side {
  readonly wallMedianMs: number;
  readonly cpuMsPerRun: number;
  readonly collected: Record<string, number>;
}
interface CollectionRun {
  readonly rounds: number;
  readonly firstMs: number;
  readonly hoplens: Side;
  readonly plotnetcfg: Side;
}

/**
 * One node with `pods` pod namespaces built for real by packages/lab, collected by hoplens and by
 * plotnetcfg in alternating rounds of the same run. The lab is always torn down.
 */
export async function collectionSuite(pods: '16' | '250', rounds: number): Promise<SuiteResult> {
  if (process.getuid?.() !== 0) throw new SkipSuite('building 250 namespaces needs root (CAP_NET_ADMIN)');
  if (spawnSync('plotnetcfg', ['--version']).error) {
    throw new SkipSuite('plotnetcfg is not installed (apt-get install plotnetcfg; pnpm setup does it)');
  }
  const prefix = newLabPrefix();
  const dir = mkdtempSync(join(tmpdir(), 'hoplens-bench-collect-'));
  try {
    progress(`collection: building a node with ${pods} pod namespaces (${prefix})`);
    const plan = await labUp({ scenario: 'dense-node', variant: pods, prefix });
    const hosts = join(dir, 'hosts.json');
    writeFileSync(hosts, JSON.stringify(plan.hostMap));
    const r = await runWorker<CollectionRun>('collectionWorker.ts', ['--hosts', hosts, '--rounds', String(rounds)]);
    const ours = r.hoplens.collected;
    const theirs = r.plotnetcfg.collected;
    const what = (c: Record<string, number>): string =>
      Object.entries(c)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ');
    const figures: Figure[] = [
      {
        id: 'collection.hoplens.wall',
        group: 'collection',
        label: `hoplens: ${pods} pod namespaces + node, median wall time`,
        value: ms(r.hoplens.wallMedianMs),
        unit: 'ms',
        note: `first collection in a fresh process ${ms(r.firstMs)} ms; collected ${what(ours)}`,
      },
      {
        id: 'collection.plotnetcfg.wall',
        group: 'collection',
        label: 'plotnetcfg (unshare -p -f --mount-proc plotnetcfg -f json): median wall time',
        value: ms(r.plotnetcfg.wallMedianMs),
        unit: 'ms',
        note: `collected ${what(theirs)}; no routes, neighbours, fdb or tc`,
      },
      {
        id: 'collection.ratio',
        group: 'collection',
        label: 'hoplens wall time ÷ plotnetcfg wall time',
        value: ms(r.hoplens.wallMedianMs / r.plotnetcfg.wallMedianMs),
        unit: '×',
        ...(sameWork(r).held ? { goal: { op: '<', value: 1 } as const } : {}),
        note: `${r.rounds} alternating rounds; ${sameWork(r).note}`,
      },
      {
        id: 'collection.hoplens.cpu',
        group: 'collection',
        label: 'hoplens CPU per collection (incl. its helper)',
        value: ms(r.hoplens.cpuMsPerRun),
        unit: 'ms',
      },
      {
        id: 'collection.plotnetcfg.cpu',
        group: 'collection',
        label: 'plotnetcfg CPU per collection (incl. unshare)',
        value: ms(r.plotnetcfg.cpuMsPerRun),
        unit: 'ms',
      },
    ];
    return { figures, details: { pods, prefix, ...r } };
  } finally {
    await labDown(prefix).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}
