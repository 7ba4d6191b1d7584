import type { StartedHelper } from '@hoplens/collector';

/** One moment of a command: wall time since the process started, and its CPU time then (when known). */
interface Mark {
  readonly what: string;
  readonly at: number;
  readonly cpuMs?: number;
  /** Minor page faults of this process so far (each costs the kernel time: tens of µs in a VM). */
  readonly faults?: number;
}

const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/**
 * Where a whole command's time goes, printed on stderr at exit where `HOPLENS_COLLECT_TIMES` is set
 * (as `HOPLENS_NLDUMP_TIMES` prints the helper's): Node's start, the netlink helper's life and each
 * phase of the command, in ms since the process started, with this process's CPU time (user +
 * system, without the helper's) and its minor page faults so far where the mark is taken on the
 * main thread (a first touch of memory costs ~25 µs in a virtual machine: a phase's faults tell
 * how much of its CPU was the kernel mapping pages).
 */
export class CommandTimes {
  private readonly marks: Mark[] = [];

  /** Marks nothing (and prints nothing) unless `enabled`. */
  constructor(private readonly enabled = process.env.HOPLENS_COLLECT_TIMES !== undefined) {
    if (!enabled) return;
    this.marks.push({ what: 'node bootstrapped', at: performance.nodeTiming.bootstrapComplete });
    process.once('exit', () => process.stderr.write(this.report()));
  }

  /** A phase of the command has ended now. */
  mark(what: string): void {
    if (this.enabled)
      this.marks.push({ what, at: performance.now(), cpuMs: cpuMs(), faults: process.resourceUsage().minorPageFault });
  }

  /** The helper's moments as this process saw them (it runs beside it): spawned, output first read, exit seen. */
  helper(started: StartedHelper | undefined): void {
    if (!this.enabled || started === undefined) return;
    this.marks.push({ what: 'helper spawned', at: started.startedAt });
    if (started.firstOutputAt !== undefined)
      this.marks.push({ what: 'helper output first read', at: started.firstOutputAt });
    if (started.closedAt !== undefined) this.marks.push({ what: 'helper exit seen', at: started.closedAt });
  }

  /** One line a mark, in the order they happened. */
  report(): string {
    const exit = {
      what: 'exit',
      at: performance.now(),
      cpuMs: cpuMs(),
      faults: process.resourceUsage().minorPageFault,
    };
    return [...this.marks, exit]
      .sort((a, b) => a.at - b.at)
      .map((m) => {
        const cpu = m.cpuMs === undefined ? '' : `, CPU ${m.cpuMs.toFixed(1)} ms`;
        const faults = m.faults === undefined ? '' : `, ${m.faults} page faults`;
        return `hoplens times: ${m.at.toFixed(1)} ms${cpu}${faults}: ${m.what}\n`;
      })
      .join('');
  }
}
