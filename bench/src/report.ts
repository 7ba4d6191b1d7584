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
  /** Suites whose figures come from an earlier run (`--only` ran the others), and when that was. */
  readonly carried?: { readonly from: string; readonly suites: readonly string[] };
}

/**
 * The figures of `fresh` (the suites in `ran`) with those of every other suite from `old`: a
 * figure belongs to the suites whose details name its group, or to its group's own name.
 */
export function carriedOver(fresh: BenchResults, old: BenchResults, ran: readonly string[]): BenchResults {
  const freshGroups = new Set(fresh.figures.map((f) => f.group));
  const kept = old.figures.filter((f) => !freshGroups.has(f.group));
  const suites = Object.keys(old.details).filter((k) => !ran.includes(k));
  return {
    ...fresh,
    figures: [...kept, ...fresh.figures],
    details: { ...Object.fromEntries(suites.map((k) => [k, old.details[k]])), ...fresh.details },
    skipped: { ...Object.fromEntries(Object.entries(old.skipped).filter(([k]) => !ran.includes(k))), ...fresh.skipped },
    carried: {
      from: old.carried?.from ?? old.startedAt,
      suites: [...new Set([...(old.carried?.suites ?? []), ...suites])],
    },
  };
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
    ...(r.carried
      ? [
          `The figures of ${r.carried.suites.join(', ')} come from the run of ${r.carried.from}; this run measured the others.`,
        ]
      : []),
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB RAM (${m.freeMemoryGiB} GiB free at start), Linux ${m.kernel}, Node ${m.node}, ${m.iproute2}.`,
    '',
  ];
  const groups = [...new Set(r.figures.map((f) => f.group))];
  for (const g of groups) {
    lines.push(`## ${g}`, '', '| figure | goal | measured | met | notes |', '| --- | --- | --- | --- | --- |');
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
