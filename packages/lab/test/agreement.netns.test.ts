import { afterAll, describe, expect, it } from 'vitest';
import { collectLocal, createSnapshot } from '@hoplens/collector';
import { canBuildNetns } from '@hoplens/collector/testing';
import { SnapshotIndex, trace } from '@hoplens/model';
import { labDown, labUp, SCENARIOS } from '../src/index.ts';
import { ping } from '../src/ping.ts';
import { newLabPrefix } from '../src/prefix.ts';

const prefixes: string[] = [];
// dense-node's 100 and 250 pod variants exist for the collection benchmark; 16 pods prove the same paths.
const cases = [...SCENARIOS.values()]
  .flatMap((s) => s.variants.map((v) => [s.name, v] as const))
  .filter(([s, v]) => s !== 'dense-node' || v === '16');

/**
 * The product's verdict must be the kernel's: for every flow of every scenario, trace says
 * delivered exactly when a real ping succeeds. The table of results is printed.
 */
describe.skipIf(!canBuildNetns())('tracer agrees with the kernel', () => {
  const table: string[] = [];
  afterAll(async () => {
    for (const p of prefixes) await labDown(p).catch(() => undefined);
    console.log(`scenario/variant | flow | kernel | trace\n${table.join('\n')}`);
  });

  it.each(cases)('%s --variant %s', async (scenario, variant) => {
    const prefix = newLabPrefix();
    prefixes.push(prefix);
    const plan = await labUp({ scenario, variant, prefix });
    const index = new SnapshotIndex(createSnapshot(await collectLocal(plan.hostMap), 'agreement test'));
    const rows = [];
    for (const flow of plan.flows) {
      const traced = trace(index, flow.from, flow.to);
      const pinged = await ping(flow.pingNetns, flow.to);
      const row = {
        flow: `${flow.from.netns ?? ''} -> ${flow.to}`,
        kernel: pinged ? 'delivered' : 'no reply',
        trace: traced.verdict,
      };
      table.push(`${scenario}/${variant} | ${row.flow} | ${row.kernel} | ${row.trace}`);
      rows.push(row);
    }
    expect(rows.map((r) => ({ ...r, trace: r.trace === 'delivered' ? 'delivered' : 'no reply' }))).toEqual(
      rows.map((r) => ({ ...r, trace: r.kernel })),
    );
    // Each scenario's variants differ: a suite where every flow agrees because nothing works proves little.
    if (scenario === 'seed') expect(rows[0]!.kernel).toBe(variant === 'fixed' ? 'delivered' : 'no reply');
    if (scenario === 'bridged-nodes')
      expect(rows.filter((r) => r.kernel === 'delivered').length).toBe(variant === 'ok' ? 4 : 2);
  });
});
