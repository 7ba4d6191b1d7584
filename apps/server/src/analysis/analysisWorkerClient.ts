import { Worker } from 'node:worker_threads';
import { assetUrl } from '@hoplens/collector';
import { ServiceError } from '../services/serviceError.ts';
import type { PrepareEvent } from '@hoplens/model';
import type { Ask, Response, WorkerMessage } from './protocol.ts';

/** How much memory analysis may take. */
export interface AnalysisLimits {
  /** The worker's V8 heap; past it the worker dies alone and is started again. */
  readonly heapMb: number;
  /** Estimated bytes of analyses kept between requests (AnalysisCache). */
  readonly cacheBytes: number;
  /**
   * The worker's young generation (V8 splits it in three: two semi-spaces and room for large new
   * objects). An analysis keeps most of what it makes (index, graph) beside ~10⁹ bytes of snapshot:
   * V8's default (16 MiB semi-spaces) ran ~120 scavenges over a 5,000-node analysis, larger ones
   * fewer at the same copying. `pnpm bench` runs the model's analysis with the same semi-spaces.
   */
  readonly youngMb: number;
}

export const DEFAULT_ANALYSIS_LIMITS: AnalysisLimits = { heapMb: 4096, cacheBytes: 1.5 * 2 ** 30, youngMb: 192 };

/** The `--max-semi-space-size` (MiB) a process needs to run an analysis as the worker does under `limits`. */
export const semiSpaceMb = (limits: AnalysisLimits): number => limits.youngMb / 3;

/** The built analysisWorker.js (apps/cli/scripts/build.ts), or the TypeScript source. */
const ENTRY = assetUrl(import.meta.url, { source: './analysisWorker.ts', built: './analysisWorker.js' });
/** From source, the worker runs TypeScript: tsx's loader is registered in it before its entry is imported. */
const bootstrap = (): string => `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))})
  .then((tsx) => { tsx.register(); return import(${JSON.stringify(ENTRY.href)}); })`;

type Pending = { resolve: (r: Response) => void; reject: (e: Error) => void };
/** A request as the caller writes it: the client numbers it. */
type Unnumbered = Ask & { readonly scope: number };

/**
 * The analysis worker thread, seen from the API's thread: requests in, answers out (by number). The
 * worker is started on first use and again after it dies (out of memory on a snapshot too large
 * for its heap): the requests in flight then fail with 503, the server itself lives on.
 */
export class AnalysisWorkerClient {
  private static readonly all = new Map<string, AnalysisWorkerClient>();

  /** The process's worker for these limits: services share it, each in a scope of its own. */
  static shared(limits: AnalysisLimits): AnalysisWorkerClient {
    const key = `${limits.heapMb}/${limits.cacheBytes}/${limits.youngMb}`;
    let client = AnalysisWorkerClient.all.get(key);
    if (!client) AnalysisWorkerClient.all.set(key, (client = new AnalysisWorkerClient(limits)));
    return client;
  }

  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private readonly progress = new Map<number, (p: PrepareEvent) => void>();
  private seq = 0;

  constructor(private readonly limits: AnalysisLimits = DEFAULT_ANALYSIS_LIMITS) {}

  /** Sends a request; `transfer` hands buffers over instead of copying them. */
  request(req: Unnumbered, transfer: ArrayBuffer[] = []): Promise<Response> {
    const worker = this.start();
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject });
      worker.postMessage({ ...req, seq }, transfer);
    });
  }

  /**
   * Sends a request whose answer nobody waits for (commit, forget, abandon): if the worker died
   * meanwhile, it has nothing to commit or forget. (A collection's answers are requests: their
   * answer may say the run can stop; a collection whose first answers it lost is refused at its next
   * batch, or when its plan comes: CollectedAnswers.)
   */
  tell(req: Unnumbered, transfer: ArrayBuffer[] = []): void {
    this.request(req, transfer).catch(() => undefined);
  }

  /** Hears how the preparations of scope's snapshots go, until the returned function is called. */
  onProgress(scope: number, listener: (p: PrepareEvent) => void): () => void {
    this.progress.set(scope, listener);
    return () => this.progress.delete(scope);
  }

  /** Starts the worker now rather than on the first request. */
  warm(): void {
    this.start();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const fromSource = ENTRY.pathname.endsWith('.ts');
    const worker = new Worker(fromSource ? bootstrap() : ENTRY, {
      eval: fromSource,
      workerData: { cacheBytes: this.limits.cacheBytes },
      resourceLimits: { maxOldGenerationSizeMb: this.limits.heapMb, maxYoungGenerationSizeMb: this.limits.youngMb },
    });
    // The server's lifetime is the process's: an idle worker does not keep it alive.
    worker.unref();
    worker.on('message', (res: WorkerMessage) => {
      if ('progress' in res) {
        this.progress.get(res.scope)?.(res.progress);
        return;
      }
      const p = this.pending.get(res.seq);
      this.pending.delete(res.seq);
      p?.resolve(res);
    });
    let cause = 'it stopped';
    worker.on('error', (e: Error & { code?: string }) => {
      cause =
        e.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `it ran out of memory (${this.limits.heapMb} MiB): the snapshot is too large for this server`
          : e.message;
    });
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = undefined;
      for (const p of this.pending.values()) p.reject(new ServiceError(503, `the analysis failed: ${cause}`));
      this.pending.clear();
    });
    this.worker = worker;
    return worker;
  }
}
