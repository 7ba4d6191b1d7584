import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { processTimes, processTreeCpuMs } from './processCpu.ts';

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

describe('processTreeCpuMs', () => {
  it('counts a child that is still running, which /proc/self/stat leaves out until it is reaped', async () => {
    // A shell spinning until it has used 200 ms of CPU, then waiting to be killed.
    const child = spawn('sh', ['-c', 'while [ $(cut -d" " -f14 /proc/$$/stat) -lt 20 ]; do :; done; sleep 30']);
    try {
      let childMs = 0;
      for (let i = 0; i < 600 && childMs < 200; i++) {
        await sleep(50);
        childMs = processTreeCpuMs(child.pid!);
      }
      expect(childMs).toBeGreaterThanOrEqual(200);
      // Read the tree first: its own share can only have grown by the second read.
      const tree = processTreeCpuMs('self');
      expect(tree - sum(processTimes('self'))).toBeGreaterThanOrEqual(childMs - 10);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('reads a process that is gone as nothing', () => {
    expect(processTimes(2 ** 22 + 1)).toEqual([0, 0, 0, 0]);
    expect(processTreeCpuMs(2 ** 22 + 1)).toBe(0);
  });
});
