import { cpus, freemem, release, totalmem } from 'node:os';
import { execFileSync } from 'node:child_process';

/** The machine a figure was measured on; every result carries it. */
export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly freeMemoryGiB: number;
  readonly kernel: string;
  readonly node: string;
  readonly iproute2: string;
}

export function machineInfo(): Machine {
  const gib = (b: number): number => Math.round((b / 2 ** 30) * 10) / 10;
  let iproute2 = 'unknown';
  try {
    iproute2 = execFileSync('ip', ['-V'], { encoding: 'utf8' }).trim();
  } catch {
    // ip is missing: the collection benchmark says so itself.
  }
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGiB: gib(totalmem()),
    freeMemoryGiB: gib(freemem()),
    kernel: release(),
    node: process.version,
    iproute2,
  };
}
