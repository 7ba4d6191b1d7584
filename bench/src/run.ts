import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { progress } from './childRun.ts';
import { met, SkipSuite, type Figure, type SuiteResult } from './figure.ts';
import { machineInfo } from './machine.ts';
import { carryOver, renderMarkdown, type BenchResults } from './report.ts';
import { collectionSuite } from './suites/collection.ts';
import { kubeNodeSuite } from './suites/kubeNode.ts';
import { modelSuite } from './suites/model.ts';
import { serverSuite } from './suites/server.ts';
import { browserSuite } from './suites/browser.ts';
import { cliSuite } from './suites/cli.ts';
import { agentSuite } from './suites/agent.ts';
import { imageSuite } from './suites/image.ts';
import { historySuite } from './suites/history.ts';
import { importSuite } from './suites/importSuite.ts';
import { fleetSuite } from './suites/fleet.ts';
import { serviceSuite } from './suites/service.ts';

/**
 * `pnpm bench`: every benchmark, one after the other (never in parallel: they would measure each
 * other), then bench/results.json and BENCHMARKS.md. `--quick` runs tiny sizes to prove the
 * harness works and writes only to --out, never over real results.
 */
const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    out: { type: 'string' },
  },
});
const quick = values.quick;
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

type Suite = () => Promise<SuiteResult>;
const suites: Record<string, Suite> = {
  model: () => (quick ? modelSuite(20, 100, 50) : modelSuite(1000, 5000, 1000)),
  server: () => (quick ? serverSuite(50, 1) : serverSuite(5000, 10)),
  collection: () => (quick ? collectionSuite('16', 2) : collectionSuite('250', 20)),
  'kube-node': () => (quick ? kubeNodeSuite('16', 50, 2, 20) : kubeNodeSuite('250', 1275, 20, 1000)),
  browser: () => (quick ? browserSuite(60, 1) : browserSuite(1250, 5)),
  cli: () => (quick ? cliSuite(3) : cliSuite(21)),
  agent: () => (quick ? agentSuite('16', 2, 1) : agentSuite('250', 20, 15)),
  image: () => imageSuite(),
  history: () => (quick ? historySuite(20, 4, 2) : historySuite(1250, 288, 24)),
  import: () => (quick ? importSuite(20) : importSuite(5000)),
  // A few dead (refused), hung (never answer: cost the timeout) and slow agents among the live ones.
  fleet: () =>
    fleetSuite(
      quick
        ? { agents: 40, podsPerNode: 2, port: 0, dead: 2, hung: 2, slow: 2, slowMs: 200, timeoutMs: 2000 }
        : { agents: 5000, podsPerNode: 30, port: 7081, dead: 5, hung: 5, slow: 5, slowMs: 3000, timeoutMs: 10_000 },
    ),
  service: () => (quick ? serviceSuite(100, 20) : serviceSuite(5000, 200)),
};
const only = values.only?.split(',').map((s) => s.trim());
for (const name of only ?? []) {
  if (!(name in suites)) {
    process.stderr.write(`unknown suite ${name}; suites: ${Object.keys(suites).join(', ')}\n`);
    process.exit(2);
  }
}

const startedAt = new Date();
const machine = machineInfo();
const figures: Figure[] = [];
const details: Record<string, unknown> = {};
const skipped: Record<string, string> = {};
let failed = false;
for (const [name, run] of Object.entries(suites)) {
  if (only && !only.includes(name)) continue;
  try {
    const r = await run();
    figures.push(...r.figures);
    details[name] = r.details;
  } catch (e) {
    if (e instanceof SkipSuite) {
      skipped[name] = e.message;
      progress(`${name} skipped: ${e.message}`);
      continue;
    }
    // A suite that breaks is reported, and the others still run.
    failed = true;
    skipped[name] = `failed: ${(e as Error).message}`;
    progress(`${name} failed: ${(e as Error).stack ?? String(e)}`);
  }
}

// Real results go to bench/results.json and BENCHMARKS.md; --out puts both into another directory.
const target =
  values.out !== undefined
    ? { json: join(resolve(values.out), 'results.json'), md: join(resolve(values.out), 'BENCHMARKS.md') }
    : quick
      ? undefined
      : { json: join(repo, 'bench', 'results.json'), md: join(repo, 'BENCHMARKS.md') };
const results: BenchResults = carryOver(
  {
    startedAt: startedAt.toISOString(),
    durationS: Math.round((Date.now() - startedAt.getTime()) / 1000),
    quick,
    machine,
    figures,
    skipped,
    details,
  },
  only && target ? target.json : undefined,
);
for (const f of figures) {
  const verdict = met(f);
  const mark = verdict === undefined ? ' ' : verdict ? '✓' : '✗';
  process.stdout.write(
    `${mark} ${f.label}: ${f.value} ${f.unit}${f.goal ? ` (goal ${f.goal.op} ${f.goal.value})` : ''}\n`,
  );
}
if (target) {
  mkdirSync(dirname(target.json), { recursive: true });
  writeFileSync(target.json, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(target.md, renderMarkdown(results));
  progress(`wrote ${target.json} and ${target.md}`);
}
process.exit(failed ? 1 : 0);
