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
}
