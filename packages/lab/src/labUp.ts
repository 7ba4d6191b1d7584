import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { runCommand } from '@hoplens/collector';
import { cniAdd } from './cni/runCni.ts';
import { commandBatches, netnsAddBatch } from './commandBatches.ts';
import { serverScript, serversListening, serverStartCommands } from './l4/l4Servers.ts';
import { LabError } from './labError.ts';
import { isLabPrefix, labFilesDir, newLabPrefix } from './prefix.ts';
import type { LabPlan } from './scenario.ts';
import { SCENARIOS } from './scenarios/index.ts';
import { labDown, labRuns, listNetns } from './labDown.ts';
import { runBatches } from './runBatches.ts';

export interface LabUpOptions {
  readonly scenario: string;
  readonly variant?: string;
  readonly prefix?: string;
}

/** Root (CAP_NET_ADMIN) is needed for `ip netns add`; say so plainly instead of failing halfway. */
export function assertRoot(): void {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new LabError('the lab builds network namespaces and needs root (CAP_NET_ADMIN): run it with sudo');
  }
}

/** Plans a scenario without touching the kernel. */
export function planLab(opts: LabUpOptions): LabPlan {
  const scenario = SCENARIOS.get(opts.scenario);
  if (!scenario) throw new LabError(`unknown scenario "${opts.scenario}"; known: ${[...SCENARIOS.keys()].join(', ')}`);
  const variant = opts.variant ?? scenario.variants[0] ?? 'default';
  if (!scenario.variants.includes(variant)) {
    throw new LabError(`scenario ${scenario.name} has no variant "${variant}"; known: ${scenario.variants.join(', ')}`);
  }
  const prefix = opts.prefix ?? newLabPrefix();
  if (!isLabPrefix(prefix)) throw new LabError(`lab prefix must look like hl-xxxx-, got "${prefix}"`);
  return scenario.plan(prefix, variant);
}

/**
 * Builds a scenario in real namespaces. On any failure, tears down what it made and throws; a
 * prefix another lab uses is refused before anything is made (its teardown would remove that lab).
 */
export async function labUp(opts: LabUpOptions): Promise<LabPlan> {
  assertRoot();
  const plan = planLab(opts);
  await claimPrefix(plan);
  try {
    // Files first: a command may read one (an eBPF program's source, a ruleset to restore).
    const servers = plan.servers ?? [];
    for (const f of [...(plan.files ?? []), ...(servers.length > 0 ? [serverScript(plan.prefix)] : [])]) {
      if (!f.path.startsWith(`${labFilesDir(plan.prefix)}/`)) throw new Error(`${f.path} is outside the lab's files`);
      await mkdir(dirname(f.path), { recursive: true });
      await writeFile(f.path, f.content, { mode: 0o644 });
    }
    // Neighbouring commands of one tool in one namespace share a process (see commandBatches).
    await runBatches([...netnsAddBatch(plan.namespaces), ...commandBatches(plan.commands)]);
    for (const a of plan.cni ?? []) await cniAdd(plan.prefix, a);
    for (const s of servers) for (const argv of serverStartCommands(plan.prefix, s)) await runCommand(argv);
    await serversListening(plan.prefix, servers);
  } catch (e) {
    await labDown(plan.prefix).catch(() => undefined);
    throw new LabError(
      `building ${plan.scenario}/${plan.variant} failed: ${(e as Error).message} (${(e as { argv?: string[] }).argv?.join(' ') ?? ''})`,
    );
  }
  return plan;
}

/**
 * Takes the plan's prefix for this run (its files' directory, made by every run and kept until `lab
 * down`), or refuses it, touching nothing, where another lab or namespace holds it.
 */
async function claimPrefix(plan: LabPlan): Promise<void> {
  const { prefix } = plan;
  // Namespaces its teardown would remove: any that start with the prefix (another lab's whose
  // names run on with a dash, `hl-x-pod-a` of `hl-x-` for `hl-x-pod-`), and a lab up whose prefix
  // nests with this one either way (its teardown would take these, or leave them).
  const clash = (await listNetns()).filter((n) => n.startsWith(prefix));
  const nested = (await labRuns()).filter((p) => p !== prefix && (p.startsWith(prefix) || prefix.startsWith(p)));
  const dir = labFilesDir(prefix);
  const made = clash.length === 0 && nested.length === 0 && (await mkdir(dir, { recursive: true })) !== undefined;
  if (made) return;
  const held = [...clash, ...nested.map((p) => `lab ${p}`)];
  if (held.length === 0) held.push(`its files in ${dir}, left by a run not torn down`);
  throw new LabError(
    `prefix ${prefix} is taken (${held.slice(0, 3).join(', ')}${held.length > 3 ? ', …' : ''}): ` +
      `tear that down with \`hoplens lab down --prefix …\`, or choose another prefix`,
  );
}
