import { readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** utime, stime, cutime and cstime of a process (man 5 proc), in ms; zeros for one that is gone. */
export function processTimes(pid: number | 'self'): [number, number, number, number] {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return [0, 0, 0, 0];
  }
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return [Number(f[11]) * TICK_MS, Number(f[12]) * TICK_MS, Number(f[13]) * TICK_MS, Number(f[14]) * TICK_MS];
}

/** The live children of a process, from each of its threads' `children` file. */
function childrenOf(pid: number | 'self'): number[] {
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  return tasks.flatMap((t) => {
    try {
      return readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
    } catch {
      return [];
    }
  });
}

/**
 * CPU of a process and everything under it, in ms: its own time and its waited-for children's, plus
 * the same for each child still running. A long-lived helper (the served netlink helper) waits for
 * its own forks, but is itself reaped only when it exits: without the live children a collection's
 * CPU would leave out its whole netlink work.
 */
export function processTreeCpuMs(pid: number | 'self'): number {
  const own = processTimes(pid).reduce((a, b) => a + b, 0);
  return childrenOf(pid).reduce((sum, child) => sum + processTreeCpuMs(child), own);
}
