import type { ScheduleStatus } from '@hoplens/model';
import type { RunOutcome } from '../store/snapshotStore.ts';
import { systemClock, type Clock } from './clock.ts';

/** Jitter: up to a tenth of the period, at most a minute. */
const MAX_JITTER_MS = 60_000;

export interface ScheduleOptions {
  readonly everyMs: number;
  /** One collection; never throws: a failure is an outcome. */
  readonly run: () => Promise<RunOutcome>;
  /** Claims a slot for this server (false: another server of the same database has it). */
  readonly claim: (slot: number, startedAt: string) => Promise<boolean>;
  readonly finish: (slot: number, outcome: RunOutcome) => Promise<void>;
  readonly clock?: Clock;
  /** A store error while claiming or recording: reported, and the schedule goes on. */
  readonly onError?: (e: unknown) => void;
}

/**
 * Periodic collection (`hoplens start --every 5m`). Runs start at whole multiples of the period
 * plus a random jitter, so servers sharing a database aim at the same slots and exactly one claims
 * each. A run still going when the next slot comes makes that slot "skipped": never two at once. A
 * failed run is recorded as failed and the next slot comes all the same.
 */
export class CollectSchedule {
  private readonly clock: Clock;
  private timer: unknown;
  private nextAt: number | undefined;
  private running = false;
  private stopped = true;

  constructor(private readonly opts: ScheduleOptions) {
    this.clock = opts.clock ?? systemClock;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.plan();
  }

  stop(): void {
    this.stopped = true;
    this.clock.clearTimeout(this.timer);
    this.nextAt = undefined;
  }

  /** The period and the next run; the runs themselves come from the store. */
  status(): Omit<ScheduleStatus, 'runs'> {
    return {
      everyMs: this.opts.everyMs,
      ...(this.nextAt === undefined ? {} : { nextAt: new Date(this.nextAt).toISOString() }),
    };
  }

  private plan(): void {
    if (this.stopped) return;
    const every = this.opts.everyMs;
    const now = this.clock.now();
    const slot = (Math.floor(now / every) + 1) * every;
    const jitter = Math.floor(this.clock.random() * Math.min(every / 10, MAX_JITTER_MS));
    this.nextAt = slot + jitter;
    this.timer = this.clock.setTimeout(() => void this.fire(slot), this.nextAt - now);
  }

  private async fire(slot: number): Promise<void> {
    // The next slot is planned now, not after this run: a long run makes it "skipped", not late.
    this.plan();
    try {
      const startedAt = new Date(this.clock.now()).toISOString();
      if (!(await this.opts.claim(slot, startedAt))) return;
      if (this.running) {
        await this.opts.finish(slot, { outcome: 'skipped', message: 'the previous collection was still running' });
        return;
      }
      this.running = true;
      let outcome: RunOutcome;
      try {
        outcome = await this.opts.run();
      } finally {
        this.running = false;
      }
      await this.opts.finish(slot, outcome);
    } catch (e) {
      this.opts.onError?.(e);
    }
  }
}
