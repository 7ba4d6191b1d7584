import { setFlagsFromString } from 'node:v8';

/**
 * Turns V8's optimizing compiler off for the rest of this process. A one-shot command such as
 * `collect` runs each decoder over one node's answers and exits: TurboFan's compiles, on a second
 * thread, cost more CPU than they ever save (a 250-pod node: ~100 ms of ~210 ms decoding, measured
 * with process.cpuUsage), and on a loaded machine that CPU is wall time. The interpreter and the
 * baseline compiler still run everything; only code that would pay back over a long life (the
 * server, the agent) needs TurboFan, and they never call this.
 */
export function skipOptimizingCompiler(): void {
  setFlagsFromString('--no-turbofan');
  keepYoungGenerationSmall();
}

/**
 * Keeps V8's young generation at its first size (1 MiB semi-spaces) for the rest of this process.
 * V8 doubles it, up to 16 MiB, while objects survive scavenges, as a one-shot command's decoded
 * answers all do; every doubling maps memory the process touches for the first time, and a first
 * touch is a page fault: ~25 µs each on a virtual machine (this one). A 250-pod node's `collect`
 * took ~1,800 fewer faults (of ~9,000) so; the scavenges it does instead copy what survives into
 * the old generation, where it was headed anyway.
 */
function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}
