import { DROP_COVERAGE, SEND_ERRORS, WITHOUT_A_REASON, type Checked, type Coverage } from './dropCoverage.ts';

const cell = (text: string): string => text.replaceAll('|', '\\|');
const code = (names: readonly string[]): string => names.map((n) => `\`${n}\``).join(', ');

function proof(c: Checked): string {
  return c.variants.length > 0 ? code(c.variants) : `none: ${c.unproven ?? ''}`;
}

function row(reason: string, c: Exclude<Coverage, { status: 'out-of-scope' }>): string {
  switch (c.status) {
    case 'checked':
      return `| \`${reason}\` | \`${c.stage}\`: ${cell(c.check)} | ${cell(proof(c))} | ${c.rules ? code(c.rules) : ''} |`;
    case 'issue':
      return `| \`${reason}\` | issue ${c.issue}: ${cell(c.check)} | | |`;
    case 'unknown':
      return `| \`${reason}\` | reported as unknown at ${cell(c.where)} | | |`;
    case 'gap':
      return `| \`${reason}\` | **not modelled**, not detected: ${cell(c.why)} | | |`;
  }
}

/** The README's coverage section, rendered from the data (a test keeps the README equal to it). */
export function renderCoverage(): string {
  const entries = Object.entries(DROP_COVERAGE);
  const inScope = entries.filter(
    (e): e is [string, Exclude<Coverage, { status: 'out-of-scope' }>] => e[1].status !== 'out-of-scope',
  );
  const byWhy = new Map<string, string[]>();
  for (const [reason, c] of entries)
    if (c.status === 'out-of-scope') byWhy.set(c.why, [...(byWhy.get(c.why) ?? []), reason]);
  return [
    '| drop reason | hoplens | lab variants proving it on this kernel | rules |',
    '| --- | --- | --- | --- |',
    ...inScope.map(([r, c]) => row(r, c)),
    ...Object.entries(SEND_ERRORS).map(
      ([errno, c]) => `| ${errno} (ping's send refused) | \`${c.stage}\`: ${cell(c.check)} | ${cell(proof(c))} | |`,
    ),
    '',
    `Out of scope (${entries.length - inScope.length} reasons):`,
    '',
    ...[...byWhy].map(([why, reasons]) => `- ${why}: ${code(reasons)}`),
    '',
    'Losses without a drop reason of their own:',
    '',
    '| what | stage | lab variants |',
    '| --- | --- | --- |',
    ...WITHOUT_A_REASON.map(
      (w) =>
        `| ${cell(w.what)} | \`${w.stage}\` | ${w.variants.length > 0 ? code(w.variants) : 'none: modelled from the kernel source, unit-tested'} |`,
    ),
  ].join('\n');
}
