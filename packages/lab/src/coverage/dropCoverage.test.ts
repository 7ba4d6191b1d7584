import { readFileSync } from 'node:fs';
import { RULES } from '@hoplens/model';
import { describe, expect, it } from 'vitest';
import recorded from './kernelDropReasons.json' with { type: 'json' };
import { planLab } from '../labUp.ts';
import { SCENARIOS } from '../scenarios/index.ts';
import { DROP_COVERAGE, SEND_ERRORS, type Checked } from './dropCoverage.ts';
import { renderCoverage } from './renderCoverage.ts';

const checkedRows = (): [string, Checked][] =>
  [...Object.entries(DROP_COVERAGE), ...Object.entries(SEND_ERRORS)].filter(
    (e): e is [string, Checked] => e[1].status === 'checked',
  );

/** Every flow of every variant that names the reason the kernel drops it for. */
function expectedDrops(): { variant: string; reason: string }[] {
  return [...SCENARIOS.values()].flatMap((s) =>
    s.variants.flatMap((v) =>
      planLab({ scenario: s.name, variant: v, prefix: 'hl-cover-' }).flows.flatMap((f) =>
        f.expectDrop ? [{ variant: `${s.name}/${v}`, reason: f.expectDrop }] : [],
      ),
    ),
  );
}

describe('the drop-reason coverage table', () => {
  it('names only rules hoplens has', () => {
    const ids = new Set(RULES.map((r) => r.id));
    expect(checkedRows().flatMap(([, c]) => (c.rules ?? []).filter((r) => !ids.has(r)))).toEqual([]);
  });

  it(`has a row for every drop reason of this kernel (${recorded.kernel}), and none it does not have`, () => {
    const rows = Object.keys(DROP_COVERAGE);
    expect(recorded.reasons.filter((r) => !rows.includes(r))).toEqual([]);
    expect(rows.filter((r) => !recorded.reasons.includes(r))).toEqual([]);
  });

  it('names lab variants that exist, in each of which a flow dies of that reason', () => {
    const drops = expectedDrops();
    for (const [reason, c] of checkedRows()) {
      for (const variant of c.variants) {
        expect({ reason, variant, dies: drops.some((d) => d.variant === variant && d.reason === reason) }).toEqual({
          reason,
          variant,
          dies: true,
        });
      }
      if (c.variants.length === 0) expect(c.unproven, `${reason} proven by no variant, and says why`).toBeTruthy();
    }
  });

  it('lists every variant whose flows die of a reason under that reason', () => {
    const rows = Object.fromEntries(checkedRows());
    const missing = expectedDrops().filter((d) => !rows[d.reason]?.variants.includes(d.variant));
    expect(missing).toEqual([]);
  });

  it('is the table the README shows', () => {
    const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
    const section = /<!-- drop-coverage:start -->\n([\s\S]*?)\n<!-- drop-coverage:end -->/.exec(readme)?.[1];
    expect(section, 'the README section between the drop-coverage markers').toBeDefined();
    expect(normalized(section!), 'render it again with `hoplens lab coverage`').toBe(normalized(renderCoverage()));
  });
});

/** Markdown as prettier may lay it out: table cells padded and dashed to width, blank lines trimmed. */
function normalized(markdown: string): string {
  return markdown
    .split('\n')
    .map((line) =>
      line.startsWith('|')
        ? line
            .split(/(?<!\\)\|/)
            .map((c) => (/^\s*:?-+:?\s*$/.test(c) ? '-' : c.trim()))
            .join('|')
        : line.trimEnd(),
    )
    .filter((line) => line !== '')
    .join('\n');
}
