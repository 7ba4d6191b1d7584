import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { generateCluster, labDown, labUp, LabError, renderCoverage } from '@hoplens/lab';
import { labList } from '../labList.ts';
import { UsageError } from '../usageError.ts';

/**
 * `hoplens lab up SCENARIO [--variant V] [--prefix P]`, `hoplens lab down [--prefix P]`, `hoplens lab list`,
 * `hoplens lab synth --nodes N [...] [--out FILE]`, `hoplens lab coverage` (the drop-reason table, as
 * the README shows it).
 */
export async function lab(args: string[]): Promise<void> {
  const [action, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      variant: { type: 'string' },
      prefix: { type: 'string' },
      nodes: { type: 'string', default: '1250' },
      'pods-per-node': { type: 'string', default: '10' },
      'peer-share': { type: 'string', default: '0.3' },
      faults: { type: 'string', default: '3' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string' },
    },
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
      process.stdout.write(labList());
    } else if (action === 'coverage') {
      process.stdout.write(`${renderCoverage()}\n`);
    } else if (action === 'synth') {
      const num = (name: keyof typeof values, max: number): number => {
        const n = Number(values[name]);
        if (!Number.isFinite(n) || n < 0 || n > max)
          throw new UsageError(`--${name} must be a number from 0 to ${max}`);
        return n;
      };
      const { snapshot } = generateCluster({
        nodes: Math.round(num('nodes', 20_000)),
        podsPerNode: Math.round(num('pods-per-node', 250)),
        peerPodShare: num('peer-share', 1),
        faults: Math.round(num('faults', 1000)),
        seed: Math.round(num('seed', 2 ** 31)),
      });
      const text = JSON.stringify(snapshot);
      if (values.out) writeFileSync(values.out, text);
      else process.stdout.write(text);
      process.stderr.write(`synthetic snapshot: ${snapshot.hosts.length} hosts, ${snapshot.pods.length} pods\n`);
    } else {
      throw new UsageError('lab needs up, down, list, coverage or synth');
    }
  } catch (e) {
    if (e instanceof LabError) throw new UsageError(e.message);
    throw e;
  }
}
