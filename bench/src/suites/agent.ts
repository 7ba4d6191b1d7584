import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { HostMap } from '@hoplens/model';
import { setTimeout as sleep } from 'node:timers/promises';
import { labDown, labUp, newLabPrefix } from '@hoplens/lab';
import { progress } from '../childRun.ts';
import { processTimes, processTreeCpuMs } from '../processCpu.ts';
import { collectPhases, phasesLine } from '../collectPhases.ts';
import { SkipSuite, type Figure, type SuiteResult } from '../figure.ts';
import { median, ms } from '../stats.ts';
import { BUILT_CLI, buildCli, wallMs } from './cli.ts';

const TOKEN = 'bench-agent-token-0123456789';
const PLOTNETCFG = ['unshare', '-p', '-f', '--mount-proc', 'plotnetcfg', '-f', 'json'];

/** The namespace files the collector hands its netlink helper for a host map (see netnsFile). */
function helperArgs(map: HostMap): string[] {
  return map.hosts.flatMap((h) => [
    h.root === null ? '-' : `/run/netns/${h.root}`,
    ...h.netns.map((ns) => (typeof ns === 'string' ? `/run/netns/${ns}` : ns.path)),
  ]);
}

/**
 * plotnetcfg reads every namespace on the machine, not a host map: other labs running beside the
 * benchmark add to its work, not to ours. How many it saw, from its last output.
 */
function plotnetcfgNamespaces(): number {
  const r = spawnSync(PLOTNETCFG[0]!, PLOTNETCFG.slice(1), { encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
  return ((JSON.parse(r.stdout) as { namespaces?: unknown[] }).namespaces ?? []).length;
}

/** VmRSS of a process, in MiB. */
function rssMiB(pid: number): number {
  const kib = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return kib / 1024;
}

/** The agent's CPU, its netlink helper's included (a served helper is reaped only when it exits), in ms. */
const cpuMs = (pid: number): number => processTreeCpuMs(pid);

/** CPU of the children this process has waited for (a spawnSync'd command, and its own children), in ms. */
const childrenCpuMs = (): number =>
  processTimes('self')
    .slice(2)
    .reduce((a, b) => a + b, 0);

interface AgentRun {
  readonly idleMiB: number;
  readonly answeringMiB: number;
  readonly cpuMsPerInventory: number;
  readonly wallMsPerInventory: number;
  readonly inventoryBytes: number;
}

/**
 * The built `hoplens agent` on the lab's host map: RSS once it has settled (idleS seconds after it
 * listens), the highest RSS sampled every 5 ms while it answers `requests` inventories one after
 * the other, and its CPU (with the helper's) per inventory.
 */
async function measureAgent(dir: string, hosts: string, requests: number, idleS: number, v8: string[] = []) {
  const tokenFile = join(dir, 'token');
  writeFileSync(tokenFile, TOKEN, { mode: 0o600 });
  const args = ['agent', '--listen', '127.0.0.1:0', '--token-file', tokenFile, '--hosts', hosts];
  const child = spawn(process.execPath, [...v8, BUILT_CLI, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /(http:\/\/\S+\/v1\/inventory)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.on('exit', (code) => reject(new Error(`hoplens agent exited ${code}`)));
    });
    await sleep(idleS * 1000);
    const pid = child.pid!;
    const idleMiB = rssMiB(pid);
    let answeringMiB = idleMiB;
    const sampler = setInterval(() => (answeringMiB = Math.max(answeringMiB, rssMiB(pid))), 5);
    const walls: number[] = [];
    let inventoryBytes = 0;
    const cpu0 = cpuMs(pid);
    for (let i = 0; i < requests; i++) {
      const t = performance.now();
      const res = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
      const body = await res.text();
      walls.push(performance.now() - t);
      if (res.status !== 200) throw new Error(`agent answered ${res.status}: ${body.slice(0, 200)}`);
      inventoryBytes = body.length;
    }
    const cpu = cpuMs(pid) - cpu0;
    clearInterval(sampler);
    answeringMiB = Math.max(answeringMiB, rssMiB(pid));
    const run: AgentRun = {
      idleMiB,
      answeringMiB,
      cpuMsPerInventory: cpu / requests,
      wallMsPerInventory: median(walls),
      inventoryBytes,
    };
    return run;
  } finally {
    child.kill('SIGTERM');
  }
}

/**
 * A node with `pods` pod namespaces built by the lab (root), then: the built `hoplens collect` as a
 * whole command against plotnetcfg in alternating rounds, and the built agent's memory and CPU.
 * The lab is always torn down, with its own prefix.
 */
export async function agentSuite(pods: '16' | '250', rounds: number, idleS: number): Promise<SuiteResult> {
  if (process.getuid?.() !== 0) throw new SkipSuite('building pod namespaces needs root (CAP_NET_ADMIN)');
  if (spawnSync('plotnetcfg', ['--version']).error) throw new SkipSuite('plotnetcfg is not installed');
  buildCli();
  const prefix = newLabPrefix();
  const dir = mkdtempSync(join(tmpdir(), 'hoplens-bench-agent-'));
  try {
    progress(`agent: building a node with ${pods} pod namespaces (${prefix})`);
    const plan = await labUp({ scenario: 'dense-node', variant: pods, prefix });
    const hosts = join(dir, 'hosts.json');
    writeFileSync(hosts, JSON.stringify(plan.hostMap));
    const collect = [process.execPath, BUILT_CLI, 'collect', '--hosts', hosts, '--out', join(dir, 'snap.json')];
    const firstMs = wallMs(collect); // builds the netlink helper if this dist/ has none yet
    wallMs(PLOTNETCFG);
    // Where the command's time goes, in the same rounds: Node's own start, and the netlink helper
    // alone on the same namespaces (what is left is loading, decoding and writing the snapshot).
    const helper = [join(dirname(BUILT_CLI), 'native/build/hoplens-nldump'), ...helperArgs(plan.hostMap)];
    // The floor of any `collect` run by Node: the helper spawned from a script's first line, its
    // output drained, nothing decoded. Node cannot start it before it has booted.
    const floorScript = join(dir, 'floor.cjs');
    writeFileSync(
      floorScript,
      `require('node:child_process').spawn(${JSON.stringify(helper[0])}, ${JSON.stringify(helper.slice(1))}, { stdio: ['ignore', 'pipe', 'inherit'] }).stdout.resume();\n`,
    );
    const argv = {
      hoplens: collect,
      plotnetcfg: PLOTNETCFG,
      node: [process.execPath, '-e', '0'],
      helper,
      nodeThenHelper: [process.execPath, floorScript],
    };
    const whos = Object.keys(argv) as (keyof typeof argv)[];
    const samples = Object.fromEntries(whos.map((w) => [w, [] as number[]])) as Record<keyof typeof argv, number[]>;
    // CPU too: on a loaded machine a command's wall time is mostly its CPU time over its share of it.
    const cpu = Object.fromEntries(whos.map((w) => [w, [] as number[]])) as Record<keyof typeof argv, number[]>;
    const loadBefore = loadavg()[0]!;
    const theirNamespaces: number[] = [];
    for (let r = 0; r < rounds; r++) {
      for (let i = 0; i < whos.length; i++) {
        const who = whos[(i + r) % whos.length]!;
        const c = childrenCpuMs();
        samples[who].push(wallMs(argv[who]));
        cpu[who].push(childrenCpuMs() - c);
      }
      // Outside the timed runs: what plotnetcfg had to read in this round.
      theirNamespaces.push(plotnetcfgNamespaces());
    }
    const ourNamespaces = plan.hostMap.hosts.reduce((n, h) => n + 1 + h.netns.length, 0);
    // plotnetcfg also reads the machine's own namespace: one more is the same work.
    const sameWork = Math.max(...theirNamespaces) <= ourNamespaces + 1;
    const seen = `plotnetcfg read ${median(theirNamespaces)} namespaces (${Math.min(...theirNamespaces)}–${Math.max(...theirNamespaces)}: every one on the machine), hoplens the host map's ${ourNamespaces}`;
    const load = `load average ${loadBefore.toFixed(1)} → ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`;
    const meanCpu = (who: keyof typeof argv): number => cpu[who].reduce((a, b) => a + b, 0) / rounds;
    const ours = median(samples.hoplens);
    const theirs = median(samples.plotnetcfg);
    // One more run, outside the timed ones, that says where its time goes.
    const phases = collectPhases(collect);
    progress(`agent: collect ${ms(ours)} ms vs plotnetcfg ${ms(theirs)} ms; measuring the agent`);
    const requests = rounds;
    // As deploy/agent.yaml and the README start it; then with Node's defaults, for comparison.
    const deployed = await measureAgent(dir, hosts, requests, idleS, ['--lite-mode', '--no-expose-wasm']);
    const plain = await measureAgent(dir, hosts, requests, idleS);
    const figures: Figure[] = [
      {
        id: 'cli.collect.wall',
        group: 'collection as a command',
        label: `\`hoplens collect\` of ${pods} pod namespaces + node, whole process: median wall time`,
        value: ms(ours),
        unit: 'ms',
        note: `the built CLI, start to exit, snapshot written; first run ${ms(firstMs)} ms`,
      },
      {
        id: 'cli.collect.plotnetcfg',
        group: 'collection as a command',
        label: '`plotnetcfg -f json` (under unshare), whole process: median wall time',
        value: ms(theirs),
        unit: 'ms',
      },
      {
        id: 'cli.collect.ratio',
        group: 'collection as a command',
        label: '`hoplens collect` ÷ plotnetcfg, whole commands',
        value: ms(ours / theirs),
        unit: '×',
        // Held against the goal only when both read the same namespaces: other labs on the machine
        // add to plotnetcfg's work, and a ratio taken then would flatter hoplens.
        ...(sameWork ? { goal: { op: '<', value: 1 } as const } : {}),
        note: `${rounds} alternating rounds; ${load}; ${seen}${sameWork ? '' : '; not held against the goal: plotnetcfg read more namespaces than the host map (other labs on the machine)'}`,
      },
      {
        id: 'cli.collect.cpu',
        group: 'collection as a command',
        label: '`hoplens collect` CPU per command (with the netlink helper), same rounds',
        value: ms(meanCpu('hoplens')),
        unit: 'ms',
        note: `${ms(meanCpu('hoplens') / meanCpu('plotnetcfg'))} × plotnetcfg's ${ms(meanCpu('plotnetcfg'))} ms (with unshare); node -e 0 ${ms(meanCpu('node'))} ms, hoplens-nldump ${ms(meanCpu('helper'))} ms; user + system time of the waited-for process tree, in 10 ms ticks`,
      },
      {
        id: 'cli.collect.floor',
        group: 'collection as a command',
        label: 'of which the floor: `node -e 0` and the netlink helper alone, same rounds: median wall times',
        value: ms(median(samples.node) + median(samples.helper)),
        unit: 'ms',
        note: `node -e 0 ${ms(median(samples.node))} ms (${ms(median(samples.node) / theirs)} × plotnetcfg), hoplens-nldump ${ms(median(samples.helper))} ms (${ms(median(samples.helper) / theirs)} ×); the rest of \`collect\` (${ms(ours - median(samples.node))} ms beyond node -e 0) is loading the bundle, decoding the helper's frames and writing the snapshot; the helper, started before the bundle is loaded, runs beside Node's loading and its frames are decoded as they come`,
      },
      {
        id: 'cli.collect.nodeFloor',
        group: 'collection as a command',
        label:
          'the floor of a `collect` run by Node: a script that spawns the helper from its first line and drains it, same rounds: median wall time',
        value: ms(median(samples.nodeThenHelper)),
        unit: 'ms',
        note: `${ms(median(samples.nodeThenHelper) / theirs)} × plotnetcfg: Node boots before it can start the helper, and nothing is decoded or written`,
      },
      {
        id: 'cli.collect.phases',
        group: 'collection as a command',
        label:
          'one more `collect` with HOPLENS_COLLECT_TIMES=1: from `collect` loaded to every namespace decoded (the JS decoding left after the helper has run beside the load)',
        value: ms(
          (phases.find((p) => p.what === 'namespaces collected')?.at ?? NaN) -
            (phases.find((p) => p.what === 'collect loaded')?.at ?? NaN),
        ),
        unit: 'ms',
        note: `ms since the process started (CPU of the Node process): ${phasesLine(phases)}`,
      },
      {
        id: 'agent.idle',
        group: 'agent',
        label: `\`node --lite-mode hoplens agent\` (as deployed) idle RSS (${idleS} s after it listens)`,
        value: Math.round(deployed.idleMiB * 10) / 10,
        unit: 'MiB',
        goal: { op: '<', value: 50 },
        note: `${pods}-pod host map; the built CLI, started as deploy/agent.yaml does`,
      },
      {
        id: 'agent.answering',
        group: 'agent',
        label: '`node --lite-mode hoplens agent` (as deployed) peak RSS while answering',
        value: Math.round(deployed.answeringMiB * 10) / 10,
        unit: 'MiB',
        goal: { op: '<', value: 80 },
        note: `${requests} inventories one after the other, ${Math.round(deployed.inventoryBytes / 1024)} KiB each; sampled every 5 ms`,
      },
      {
        id: 'agent.cpu',
        group: 'agent',
        label: '`node --lite-mode hoplens agent` (as deployed) CPU per inventory (incl. the netlink helper)',
        value: ms(deployed.cpuMsPerInventory),
        unit: 'ms',
        note: `median answer ${ms(deployed.wallMsPerInventory)} ms`,
      },
      {
        id: 'agent.defaults',
        group: 'agent',
        label: "`hoplens agent` with Node's default flags: peak RSS while answering",
        value: Math.round(plain.answeringMiB * 10) / 10,
        unit: 'MiB',
        note: `idle ${Math.round(plain.idleMiB * 10) / 10} MiB; CPU ${ms(plain.cpuMsPerInventory)} ms per inventory, median answer ${ms(plain.wallMsPerInventory)} ms`,
      },
    ];
    return { figures, details: { pods, prefix, firstMs, samples, phases, deployed, plain } };
  } finally {
    await labDown(prefix).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}
