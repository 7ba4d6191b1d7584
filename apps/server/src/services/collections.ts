import { assetUrl, sourceLabel } from '@hoplens/collector';
import { summarizeCollection, type CollectStatus, type SourceRun, type SourcesConfig } from '@hoplens/model';
import { workerThread } from '../workerThread.ts';
import type { CollectControl, CollectMessage, TimedProgress } from './collectProtocol.ts';
import type { CollectedAnswer } from './collectPlan.ts';
import { CollectError } from './collectInChild.ts';

const KUBERNETES = 'Kubernetes API (pod names)';
/** The built collectWorker.js (apps/cli/scripts/build.ts), or the TypeScript source. */
const ENTRY = assetUrl(import.meta.url, { source: './collectWorker.ts', built: './collectWorker.js' });
/** A collection larger than this heap fails alone; the server lives on. */
const WORKER_HEAP_MB = 4096;
/** How long a stopped run's worker has to kill its children and end before it is ended. */
const STOP_GRACE_MS = 2_000;

/**
 * Collection runs over the configured sources, one at a time, each in a worker thread of its own
 * (collectWorker.ts): agents and dumps a bounded number at once, each with its timeout, this
 * machine's namespaces in a child process (DESIGN §7), pod names from the Kubernetes API where
 * configured. Thousands of answers are parsed and checked there, never on the API's thread, and
 * handed on as they arrive (through this thread, in batches) to the analysis worker, which reads
 * them meanwhile and makes the snapshot once the run's plan comes. A source that fails is a host
 * with its error in the snapshot, so a run always yields a snapshot, partial or whole. Progress is kept per source in place (an update costs
 * O(1) with 5,000 agents) and summed up only when asked.
 */
export class Collections {
  private running: Promise<Uint8Array> | undefined;
  /** When the last run's worker has ended: a stopped one may still be killing this machine's collector. */
  private ended: Promise<void> = Promise.resolve();
  /** The current (or last) run's sources, in the sources' order; the Kubernetes API last. */
  private runs: SourceRun[] = [];

  constructor(
    private readonly config: SourcesConfig,
    private readonly now: () => number = Date.now,
  ) {}

  /** Where the current (or last) run stands: counts, the slowest sources and the first failures. */
  status(): CollectStatus {
    return { running: this.running !== undefined, ...summarizeCollection(this.runs, this.now()) };
  }

  /**
   * Starts a run: `onAnswers` is handed the sources' answers as they arrive, and the run resolves
   * with the plan of the snapshot (a CollectPlan's JSON). One run at a time: the caller joins
   * the one in progress (SnapshotService.collect). `onAnswers` may `stop` the run once no snapshot
   * will be made of it (its answers together are too large, or the analysis lost its first ones):
   * no further source is asked, this machine's collector is killed, the sources not heard from
   * fail with the reason, and the run rejects with it.
   */
  run(onAnswers: (answers: readonly CollectedAnswer[], stop: (why: Error) => void) => void): Promise<Uint8Array> {
    if (this.running) throw new Error('a collection is running: join it');
    this.running = this.collect(onAnswers).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private collect(
    onAnswers: (answers: readonly CollectedAnswer[], stop: (why: Error) => void) => void,
  ): Promise<Uint8Array> {
    this.runs = this.config.sources.map((s) => ({ source: sourceLabel(s), state: 'queued', hosts: 0 }));
    if (this.config.kubernetes) this.runs.push({ source: KUBERNETES, state: 'queued', hosts: 0 });
    // The next run starts once the last one's worker has ended: never two of this machine's collectors at once.
    return this.ended.then(() => this.start(onAnswers));
  }

  private start(
    onAnswers: (answers: readonly CollectedAnswer[], stop: (why: Error) => void) => void,
  ): Promise<Uint8Array> {
    const worker = workerThread(ENTRY, {
      workerData: { config: this.config },
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
    this.ended = new Promise((ended) => worker.once('exit', () => ended()));
    return new Promise<Uint8Array>((resolve, reject) => {
      let cause = 'it stopped before it gave a snapshot';
      /** Resolved, rejected or stopped: nothing the worker says afterwards changes the run. */
      let settled = false;
      const settle = (end: () => void): void => {
        if (settled) return;
        settled = true;
        end();
      };
      const stop = (why: Error): void =>
        settle(() => {
          this.stopped(why.message);
          reject(why);
          // The worker kills its children (this machine's collector) and ends; if it does not, it is ended.
          worker.postMessage({ kind: 'stop' } satisfies CollectControl);
          setTimeout(() => void worker.terminate(), STOP_GRACE_MS).unref();
        });
      worker.on('message', (m: CollectMessage) => {
        // A stopped run's last batches, already on their way: neither progress nor answers any more.
        if (settled) return;
        if (m.kind === 'progress') {
          for (const u of m.updates) this.update(u);
          if (m.answers.length > 0) onAnswers(m.answers, stop);
          return;
        }
        if (m.kind === 'error') settle(() => reject(new CollectError(`collection failed: ${m.message}`)));
        else settle(() => resolve(m.plan));
        // Done either way: fetches of other sources still in flight must not hold the next run back.
        void worker.terminate();
      });
      worker.on('error', (e: Error & { code?: string }) => {
        cause = e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `it ran out of memory (${WORKER_HEAP_MB} MiB)` : e.message;
      });
      worker.on('exit', () => settle(() => reject(new CollectError(`collection failed: ${cause}`))));
    });
  }

  /** The run was stopped (`why`): the sources that had not answered yet failed for that reason. */
  private stopped(why: string): void {
    const at = this.now();
    this.runs = this.runs.map((run) =>
      run.state === 'queued' || run.state === 'collecting'
        ? {
            ...run,
            state: 'failed',
            endedAt: at,
            message: `not collected: the run was stopped: ${why}`,
          }
        : run,
    );
  }

  private update({ index, state, hosts, message, at }: TimedProgress): void {
    const run = this.runs[index];
    if (!run) return;
    this.runs[index] = {
      source: run.source,
      state,
      hosts,
      ...(state === 'collecting' ? { startedAt: at } : run.startedAt === undefined ? {} : { startedAt: run.startedAt }),
      ...(state === 'done' || state === 'failed' ? { endedAt: at } : {}),
      ...(message === undefined ? {} : { message }),
    };
  }
}
