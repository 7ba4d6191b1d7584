import type {
  CollectStatus,
  FindingRef,
  GraphQuery,
  ScheduleStatus,
  SearchQuery,
  Snapshot,
  SnapshotSummary,
  SourcesConfig,
  TraceQuery,
  ViewQuery,
  PodQuery,
  ServiceQuery,
} from '@hoplens/model';
import { summarizeCollection } from '@hoplens/model';
import { gunzipSync } from 'node:zlib';
import { analysisVersion } from '../analysis/analysisVersion.ts';
import type { Ask, Derived, Query, Response } from '../analysis/protocol.ts';
import {
  AnalysisWorkerClient,
  DEFAULT_ANALYSIS_LIMITS,
  type AnalysisLimits,
} from '../analysis/analysisWorkerClient.ts';
import { RenderedCache } from '../analysis/renderedCache.ts';
import type { StoredRow } from '../store/snapshotParts.ts';
import type { SnapshotStore } from '../store/snapshotStore.ts';
import { Collections } from './collections.ts';
import { ServiceError } from './serviceError.ts';
import { SnapshotEvents } from './snapshotEvents.ts';

/**
 * Focused graphs answered by the worker, kept on this thread too (a host's is ~6 kB gzipped): the
 * dashboard asks one per click, and a hit costs no round trip to the worker.
 */
const FOCUSED_BUDGET = 32 * 2 ** 20;

/**
 * What the routes call: stored snapshots, collection, and every question about a snapshot. The
 * questions (and imports: parsing, checking, analysing, cutting into parts) are answered by the
 * analysis worker, as gzipped JSON; this thread only stores, lists and relays, so the API never
 * waits on an analysis.
 */
export class SnapshotService {
  private static scopes = 0;
  private readonly worker: AnalysisWorkerClient;
  /** This service's analyses in the shared worker. */
  private readonly scope = ++SnapshotService.scopes;
  private readonly collections: Collections | undefined;
  /** Where a live trace asks a node's switch about a packet the snapshot recorded no answer for. */
  private readonly sources: SourcesConfig | undefined;
  private collecting: Promise<SnapshotSummary> | undefined;
  private readonly offProgress: () => void;
  /** New snapshots, as they are stored: for GET /api/events. */
  readonly events = new SnapshotEvents();
  /** Periodic collection's status, when the server collects on its own (set by CollectSchedule's owner). */
  scheduleStatus: (() => Promise<ScheduleStatus>) | undefined;
  private readonly forgetting: ((ids: readonly string[]) => Promise<void>)[] = [];
  /** Keys what is persisted of analyses: only results this very analysis code made are served. */
  private readonly version: string;
  /** Snapshots being analysed in the background after a first view was answered from derived results. */
  private readonly preparing = new Set<string>();
  /** Focused graphs by snapshot and focus; a deleted snapshot's are dropped with it. */
  private readonly focused = new RenderedCache(FOCUSED_BUDGET);
  /** Deletions so far: an answer that was asked before one is not kept (it may be the deleted one's). */
  private forgets = 0;
  /** Collections so far: each numbers the answers it hands the analysis worker. */
  private streams = 0;

  /** `opts.analysisVersion` stands in for the code's own (analysisVersion.ts) in tests. */
  constructor(
    readonly store: SnapshotStore,
    sources: SourcesConfig | undefined,
    analysis: AnalysisLimits = DEFAULT_ANALYSIS_LIMITS,
    opts: { readonly analysisVersion?: string } = {},
  ) {
    this.version = opts.analysisVersion ?? analysisVersion();
    this.worker = AnalysisWorkerClient.shared(analysis);
    this.collections = sources && new Collections(sources);
    this.offProgress = this.worker.onProgress(this.scope, (p) => this.events.emitPrepare(p));
    this.sources = sources;
  }

  get canCollect(): boolean {
    return this.collections !== undefined;
  }

  /** Starts the analysis worker now, so the first request does not wait for it. */
  warm(): void {
    this.worker.warm();
  }

  /** Drops this service's analyses; the worker stays for the process's other services, if any. */
  close(): void {
    this.offProgress();
    this.tell({ kind: 'drop' });
  }

  list(): Promise<SnapshotSummary[]> {
    return this.store.list();
  }

  /** A stored snapshot, parsed here (for tools and tests; the API's export comes from the worker). */
  async snapshot(id: string): Promise<Snapshot> {
    const s = await this.store.get(id);
    if (!s) throw new ServiceError(404, `no snapshot ${id}`);
    return s;
  }

  /**
   * Imports a snapshot file, or a dump (`hoplens dump`), which becomes a new snapshot: JSON bytes
   * (an API body) or a parsed value. Too large (SNAPSHOT_LIMITS) is 413, unknown formats and schema
   * violations 422, with the reason.
   */
  async import(body: unknown): Promise<SnapshotSummary> {
    const bytes = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body ?? null));
    // A buffer of its own is handed over, not copied; one in Node's shared pool is copied.
    const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
    return this.stored(
      await this.request({ kind: 'import', body: bytes, now: Date.now() }, own ? [bytes.buffer as ArrayBuffer] : []),
    );
  }

  /** Stores what the worker made of an import or a collection, and makes it visible. */
  private async stored(res: Response): Promise<SnapshotSummary> {
    const { summary, meta, parts, findings, derived } = answer(res, 'imported');
    let stored: boolean;
    try {
      stored = await this.store.putParts(meta, parts, summary, findings);
    } catch (e) {
      this.tell({ kind: 'forget', id: summary.id });
      throw e;
    }
    // Only a speed-up for a later cold open: without it, that open analyses the snapshot again.
    await this.store.putDerived(summary.id, this.version, derived).catch(() => undefined);
    this.tell({ kind: 'commit', id: summary.id });
    if (stored) this.events.emit(summary);
    return summary;
  }

  /** Deletes a snapshot: explicit, and the caller logs it. */
  async delete(id: string): Promise<void> {
    if ((await this.forget([id])).length === 0) throw new ServiceError(404, `no snapshot ${id}`);
  }

  /**
   * Deletes snapshots (and what is cached of them, and what hangs on them: see {@link onForget});
   * returns those that existed. A user's DELETE and retention both come here.
   */
  async forget(ids: readonly string[]): Promise<string[]> {
    this.forgets++;
    for (const id of ids) {
      this.focused.forget(`${id}\0`);
      this.tell({ kind: 'forget', id });
    }
    const gone = await this.store.delete(ids);
    if (gone.length > 0) await Promise.all(this.forgetting.map((f) => f(gone)));
    return gone;
  }

  /** Runs `f` with the ids of every batch of deleted snapshots, to delete what belongs to them. */
  onForget(f: (ids: readonly string[]) => Promise<void>): void {
    this.forgetting.push(f);
  }

  /** Collects from the configured sources; concurrent requests share one run. */
  collect(): Promise<SnapshotSummary> {
    const collections = this.collections;
    if (!collections)
      throw new ServiceError(409, 'no sources configured: start hoplens with --hosts HOSTMAP.json or --sources FILE');
    this.collecting ??= this.collectWith(collections).finally(() => {
      this.collecting = undefined;
    });
    return this.collecting;
  }

  /**
   * One run: each answer goes to the analysis worker as it arrives (read there while the rest
   * arrive), and once all have, the worker makes the snapshot of them as the run's plan says. Once
   * the worker knows it will make none (the answers together are too large: 413; it lost the run's
   * first answers: 503), the run stops asking its sources and fails with that reason.
   */
  private async collectWith(collections: Collections): Promise<SnapshotSummary> {
    const stream = ++this.streams;
    let plan: Uint8Array;
    try {
      plan = await collections.run((answers, stop) => {
        this.request(
          { kind: 'answers', stream, answers },
          answers.map((a) => a.json.buffer as ArrayBuffer),
        ).then(
          (res) => {
            if ('error' in res)
              stop(new ServiceError(res.error.status as ServiceError['statusCode'], res.error.message));
          },
          // The worker is gone: the plan's turn asks for another collection (503).
          () => undefined,
        );
      });
    } catch (e) {
      this.tell({ kind: 'abandon', stream });
      throw e;
    }
    return this.stored(
      await this.request({ kind: 'collected', stream, plan, now: Date.now() }, [plan.buffer as ArrayBuffer]),
    );
  }

  /** Where the current or last collection stands (counts, slowest, failures), and the schedule's runs. */
  async collectStatus(): Promise<CollectStatus> {
    const now = this.collections?.status() ?? { running: false, ...summarizeCollection([], Date.now()) };
    return this.scheduleStatus ? { ...now, schedule: await this.scheduleStatus() } : now;
  }

  /** The snapshot as the export gives it. */
  snapshotGzip(id: string): Promise<Buffer> {
    return this.gzip({ op: 'snapshot', id });
  }

  /** The graph: whole, or with `focus` one element's neighbourhood. */
  async graph(id: string, q: GraphQuery): Promise<Buffer> {
    if (q.focus === undefined) return this.gzip({ op: 'graph', id, q });
    const key = `${id}\0${q.focus}`;
    const kept = this.focused.find(key);
    if (kept !== undefined) return kept;
    const forgets = this.forgets;
    const gz = await this.gzip({ op: 'graph', id, q });
    if (forgets === this.forgets) this.focused.keep(key, gz);
    return gz;
  }

  /** The overview (or whole graph) the dashboard draws; the first one (nothing expanded) as persisted. */
  view(id: string, q: ViewQuery): Promise<Buffer> {
    const query: Query = { op: 'view', id, q };
    // Only the query the persisted view answers: nothing expanded, and nothing else asked.
    const first = Object.entries(q).every(
      ([k, v]) =>
        k === 'expand' &&
        !String(v ?? '')
          .split(',')
          .some(Boolean),
    );
    return first ? this.derivedOr(id, 'view', query) : this.gzip(query);
  }

  /** Elements matching an IP, MAC or name, the best first. */
  search(id: string, q: SearchQuery): Promise<Buffer> {
    return this.gzip({ op: 'search', id, q });
  }

  findings(id: string): Promise<Buffer> {
    return this.derivedOr(id, 'findings', { op: 'findings', id });
  }

  /**
   * What a first view asks, as persisted for this analysis version: a restarted server answers it
   * at once and analyses the snapshot meanwhile, in the background, for what comes next. Without
   * it (an older snapshot, another version), the worker answers and the answer is persisted.
   */
  private async derivedOr(id: string, name: keyof Derived, query: Query): Promise<Buffer> {
    const kept = await this.store.getDerived(id, this.version, name);
    if (kept) {
      this.prepareInBackground(id);
      return Buffer.from(kept.buffer, kept.byteOffset, kept.byteLength);
    }
    const gz = await this.gzip(query);
    // Only a speed-up: if it cannot be kept (a full disk), the next cold open computes it again.
    await this.store.putDerived(id, this.version, { [name]: gz }).catch(() => undefined);
    return gz;
  }

  private prepareInBackground(id: string): void {
    if (this.preparing.has(id)) return;
    this.preparing.add(id);
    // Its progress and failure are on the event stream (see ask); the next question meets the error itself.
    void this.ask({ op: 'prepare', id })
      .catch(() => undefined)
      .finally(() => this.preparing.delete(id));
  }

  /** A snapshot's findings as history keeps them (for one stored before they were kept). */
  async findingRefs(id: string): Promise<FindingRef[]> {
    return JSON.parse(gunzipSync(await this.gzip({ op: 'findingRefs', id })).toString('utf8')) as FindingRef[];
  }

  /** A page of the snapshot's pods: never all of them, a cluster can hold tens of thousands. */
  pods(id: string, q: PodQuery): Promise<Buffer> {
    return this.gzip({ op: 'pods', id, q });
  }

  /** The Service ports the snapshot's kube-proxy rules program, matching `q`: destinations by name. */
  services(id: string, q: ServiceQuery): Promise<Buffer> {
    return this.gzip({ op: 'services', id, q });
  }

  /** A pod's path (`pod=`), or a ping from `from=HOST[/NETNS]` to `to=IP`. */
  trace(id: string, q: TraceQuery): Promise<Buffer> {
    return this.gzip({ op: 'trace', id, q, ...(this.sources ? { sources: this.sources } : {}) });
  }

  /** What changed from snapshot `a` to snapshot `b`, and which findings that resolved or raised. */
  compare(a: string, b: string): Promise<Buffer> {
    return this.gzip({ op: 'compare', a, b });
  }

  /** Resolves once every host's focused view of the snapshot is rendered, with their number. */
  async hostViewsReady(id: string): Promise<number> {
    return answer(await this.ask({ op: 'hostViews', id }), 'count');
  }

  private async gzip(query: Query): Promise<Buffer> {
    const gz = answer(await this.ask(query), 'gz');
    return Buffer.from(gz.buffer, gz.byteOffset, gz.byteLength);
  }

  /**
   * Asks the worker; when it lacks a snapshot the query needs, sends it as stored and asks again.
   * Preparing one (reading, then the worker's steps) is announced on the event stream, to its end.
   */
  private async ask(query: Query): Promise<Response> {
    let stored: Record<string, StoredRow> = {};
    let preparing: readonly string[] = [];
    const end = (stage: 'ready' | 'failed'): void => {
      for (const snapshot of preparing) this.events.emitPrepare({ snapshot, stage });
    };
    try {
      for (;;) {
        const res = await this.request({ kind: 'query', query, stored });
        if (!('missing' in res)) {
          end('error' in res ? 'failed' : 'ready');
          return res;
        }
        preparing = res.missing;
        for (const snapshot of preparing) this.events.emitPrepare({ snapshot, stage: 'reading' });
        const rows = await Promise.all(res.missing.map(async (id) => [id, await this.row(id)] as const));
        stored = Object.fromEntries(rows);
      }
    } catch (e) {
      end('failed');
      throw e;
    }
  }

  private request(ask: Ask, transfer: ArrayBuffer[] = []): Promise<Response> {
    return this.worker.request({ ...ask, scope: this.scope }, transfer);
  }

  private tell(ask: Ask, transfer: ArrayBuffer[] = []): void {
    this.worker.tell({ ...ask, scope: this.scope }, transfer);
  }

  private async row(id: string): Promise<StoredRow> {
    const row = await this.store.getRow(id);
    if (!row) throw new ServiceError(404, `no snapshot ${id}`);
    return row;
  }
}

/** The part of a worker's response the request expects, or its error as thrown here. */
function answer<K extends 'gz' | 'count' | 'imported'>(
  res: Response,
  key: K,
): Extract<Response, Record<K, unknown>>[K] {
  if ('error' in res) throw new ServiceError(res.error.status as ServiceError['statusCode'], res.error.message);
  if (!(key in res))
    throw new Error(`analysis worker answered ${Object.keys(res).join(', ')} where ${key} was expected`);
  return (res as Record<K, unknown>)[key] as Extract<Response, Record<K, unknown>>[K];
}
