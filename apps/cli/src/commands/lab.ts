import { parseArgs } from 'node:util';
import { labDown, labUp, LabError, SCENARIOS } from '@hoplens/lab';
import { UsageError } from '../usageError.ts';

/** `hoplens lab up SCENARIO [--variant V] [--prefix P]`, `hoplens lab down [--prefix P]`, `hoplens lab list`. */
export async function lab(args: string[]): Promise<void> {
  const [action, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    options: { variant: { type: 'string' }, prefix: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  try {
    if (action === 'up') {
      const scenario = positionals[0];
      if (!scenario) throw new UsageError('lab up needs a scenario name, e.g. `lab up seed --variant broken`');
      const plan = await labUp({
        scenario,
        ...(values.variant ? { variant: values.variant } : {}),
        ...(values.prefix ? { prefix: values.prefix } : {}),
      });
      process.stderr.write(`built ${plan.scenario}/${plan.variant} in namespaces ${plan.namespaces.join(', ')}\n`);
      process.stderr.write(`tear down with: hoplens lab down --prefix ${plan.prefix}\n`);
      process.stdout.write(`${JSON.stringify(plan.hostMap, null, 2)}\n`);
    } else if (action === 'down') {
      const removed = await labDown(values.prefix);
      process.stderr.write(removed.length > 0 ? `removed ${removed.join(', ')}\n` : 'no lab namespaces to remove\n');
    } else if (action === 'list') {
      for (const s of SCENARIOS.values())
        process.stdout.write(`${s.name} [${s.variants.join('|')}]: ${s.description}\n`);
    } else {
      throw new UsageError('lab needs up, down or list');
    }
  } catch (e) {
    if (e instanceof LabError) throw new UsageError(e.message);
    throw e;
  }
}
