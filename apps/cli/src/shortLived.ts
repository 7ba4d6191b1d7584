import { setFlagsFromString } from 'node:v8';

/**
 * Tunes V8 for a one-shot command such as `collect`, which decodes one node's answers, writes them
 * and exits; only code that pays back over a long life (the server, the agent) wants V8's defaults,
 * and they never call this. Both flags are set before the command's bundle is compiled: V8 takes a
 * code cache only under the flags it was made with.
 *
 * - No TurboFan: its compiles, on a second thread, cost more CPU than they ever save (a 250-pod
 *   node: ~100 ms of ~210 ms decoding, measured with process.cpuUsage), and on a loaded machine
 *   that CPU is wall time. The interpreter and the baseline compiler still run everything.
 * - The young generation stays at its first size (1 MiB semi-spaces). V8 doubles it, up to 16 MiB,
 *   while objects survive scavenges, as a one-shot command's decoded answers all do; every doubling
 *   maps memory the process touches for the first time, and a first touch is a page fault: ~25 µs
 *   each on a virtual machine (this one). A 250-pod node's `collect` took ~1,800 fewer faults (of
 *   ~9,000) so; the scavenges it does instead copy what survives into the old generation, where it
 *   was headed anyway. (Later V8s may hold the factor at 2 or more: there this changes nothing.)
 */
export function tuneForOneShot(): void {
  setFlagsFromString('--no-turbofan');
  setFlagsFromString('--semi-space-growth-factor=1');
}
