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
  /**
   * What writing memory the process never touched costs, in ms per GiB (the least of a few tries):
   * one page fault per 4 KiB page. On a virtual machine whose host backs memory lazily this is
   * large (~3.5 s per GiB measured on the machine these figures come from), and every figure that
   * builds a large heap (the model, storage, import) pays it for each GiB it grows.
   */
  readonly freshMemoryMsPerGiB?: number;
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
    freshMemoryMsPerGiB: freshMemoryMsPerGiB(),
  };
}

/** ms to write every page of 128 MiB the process never touched, scaled to a GiB; the least of three. */
function freshMemoryMsPerGiB(): number {
  const bytes = 128 * 2 ** 20;
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    // Not Buffer.alloc: a large calloc is mapped zeroed and never touched. fill writes every page.
    const t = performance.now();
    Buffer.allocUnsafeSlow(bytes).fill(1);
    best = Math.min(best, performance.now() - t);
  }
  return Math.round((best * 2 ** 30) / bytes);
}
