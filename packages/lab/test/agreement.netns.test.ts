import { afterAll, describe, expect, it } from 'vitest';
import { collectLocal, createSnapshot } from '@hoplens/collector';
import { canBuildNetns } from '@hoplens/collector/testing';
import { SnapshotIndex, trace } from '@hoplens/model';
import { labDown, labUp } from '../src/index.ts';
import { ping } from '../src/ping.ts';
import { newLabPrefix } from '../src/prefix.ts';

const prefixes: string[] = [];

/** The product's verdict must be the kernel's: trace says delivered exactly when ping succeeds. */
describe.skipIf(!canBuildNetns())('tracer agrees with the kernel on the seed lab', () => {
  afterAll(async () => {
    for (const p of prefixes) await labDown(p).catch(() => undefined);
  });

  it.each([
    ['broken', false],
    ['fixed', true],
  ] as const)('seed --variant %s: ping and trace both say delivered=%s', async (variant, expected) => {
    const prefix = newLabPrefix();
    prefixes.push(prefix);
    const plan = await labUp({ scenario: 'seed', variant, prefix });
    const snapshot = createSnapshot(await collectLocal(plan.hostMap), 'agreement test');
    const index = new SnapshotIndex(snapshot);
    for (const flow of plan.flows) {
      const traced = trace(index, flow.from, flow.to);
      const pinged = await ping(flow.pingNetns, flow.to);
      expect({
        flow: `${flow.from.netns} -> ${flow.to}`,
        kernel: pinged,
        trace: traced.verdict === 'delivered',
      }).toEqual({
        flow: `${flow.from.netns} -> ${flow.to}`,
        kernel: expected,
        trace: expected,
      });
    }
  });
});
