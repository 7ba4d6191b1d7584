import { existsSync, readFileSync } from 'node:fs';
import type { Machine } from './machine.ts';
import { met, type Figure } from './figure.ts';

export interface BenchResults {
  readonly startedAt: string;
  readonly durationS: number;
  readonly quick: boolean;
  readonly machine: Machine;
  readonly figures: Figure[];
  /** Suites that could not run here, with the reason (e.g. collection needs root). */
  readonly skipped: Record<string, string>;
  readonly details: Record<string, unknown>;
  /** Groups of figures kept from an earlier run (`--only` runs some suites), with that run's start. */
  readonly carried?: Record<string, string>;
}

/**
 * With `--only`, the groups this run did not measure are kept from the results file it replaces,
 * each marked with the run it comes from, so a partial run never erases the others' figures.
 */
export function carryOver(r: BenchResults, previousFile: string | undefined): BenchResults {
  if (!previousFile || !existsSync(previousFile)) return r;
  const previous = JSON.parse(readFileSync(previousFile, 'utf8')) as BenchResults;
  if (previous.quick) return r;
  const fresh = new Set(r.figures.map((f) => f.group));
  // A group whose title carries what it measured (sizes) is renamed when those change: its figures,
  // known by id, are replaced too, never kept beside the new ones under the old title.
  const freshIds = new Set(r.figures.map((f) => f.id));
  const kept = previous.figures.filter((f) => !fresh.has(f.group) && !freshIds.has(f.id));
  const carried: Record<string, string> = {};
  for (const f of kept) carried[f.group] = previous.carried?.[f.group] ?? previous.startedAt;
  return { ...r, figures: [...kept, ...r.figures], details: { ...previous.details, ...r.details }, carried };
}

const cell = (s: string): string => s.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** BENCHMARKS.md: the machine, then one table per group with goal, measured value and verdict. */
export function renderMarkdown(r: BenchResults): string {
  const m = r.machine;
  const lines = [
    '# hoplens benchmarks',
    '',
    `Written by \`pnpm bench\` on ${r.startedAt} (${r.durationS} s${r.quick ? ', quick mode: small sizes, not comparable' : ''}).`,
    'Raw figures and per-run details: `bench/results.json`. Ratios compare runs made side by side in this one run.',
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB RAM (${m.freeMemoryGiB} GiB free at start), Linux ${m.kernel}, Node ${m.node}, ${m.iproute2}.`,
    ...(m.freshMemoryMsPerGiB === undefined
      ? []
      : [
          `Writing memory a process has not touched yet costs ${m.freshMemoryMsPerGiB} ms per GiB here (page faults; measured at the start): every figure that grows a large heap pays it per GiB.`,
        ]),
    '',
  ];
  const groups = [...new Set(r.figures.map((f) => f.group))];
  for (const g of groups) {
    const from = r.carried?.[g];
    lines.push(
      `## ${g}`,
      '',
      ...(from ? [`_From the run of ${from}._`, ''] : []),
      '| figure | goal | measured | met | notes |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const f of r.figures.filter((x) => x.group === g)) {
      const goal = f.goal ? `${f.goal.op} ${f.goal.value} ${f.unit}` : '';
      const verdict = met(f);
      lines.push(
        `| ${cell(f.label)} | ${goal} | ${f.value} ${f.unit} | ${verdict === undefined ? '' : verdict ? 'yes' : '**no**'} | ${cell(f.note ?? '')} |`,
      );
    }
    lines.push('');
  }
  const skipped = Object.entries(r.skipped);
  if (skipped.length > 0) {
    lines.push('## not run', '');
    for (const [suite, why] of skipped) lines.push(`- ${suite}: ${why}`);
    lines.push('');
  }
  return lines.join('\n');
}
