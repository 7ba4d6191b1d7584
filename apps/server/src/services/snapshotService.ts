import {
  diffSnapshots,
  netnsFrom,
  podTraceEndpoints,
  readDump,
  readSnapshot,
  trace,
  type Analysis,
  type CollectStatus,
  type GraphQuery,
  type ScheduleStatus,
  type SearchQuery,
  type SearchResult,
  type Snapshot,
  type SnapshotDiff,
  type SnapshotSummary,
  type SourcesConfig,
  type TraceQuery,
  type TraceResult,
  type ViewQuery,
} from '@hoplens/model';
import { createSnapshot } from '@hoplens/collector';
import type { SnapshotStore } from '../store/snapshotStore.ts';
import { AnalysisCache } from './analysisCache.ts';
import { viewsOf } from './analysisViews.ts';
import { Collections } from './collections.ts';
import { RenderedViews } from './renderedViews.ts';
import { ServiceError } from './serviceError.ts';
import { SnapshotEvents } from './snapshotEvents.ts';

/**
 * What the routes call: stored snapshots, their analysis, collection and traces. Failures are
 * thrown as they come (the model's, the store's); `serviceErrorOf` maps them to answers.
 */
export class SnapshotService {
  private readonly analyses: AnalysisCache;
  private readonly views = new RenderedViews();
  private readonly collections: Collections | undefined;
  private collecting: Promise<SnapshotSummary> | undefined;
  /** New snapshots, as they are stored: for GET /api/events. */
  readonly events = new SnapshotEvents();
  /** Periodic collection's status, when the server collects on its own (set by CollectSchedule's owner). */
  scheduleStatus: (() => Promise<ScheduleStatus>) | undefined;

  constructor(
    readonly store: SnapshotStore,
    sources: SourcesConfig | undefined,
  ) {
    this.analyses = new AnalysisCache(store);
    this.collections = sources && new Collections(sources);
  }

  get canCollect(): boolean {
    return this.collections !== undefined;
  }

  list(): Promise<SnapshotSummary[]> {
    return this.store.list();
  }

  async snapshot(id: string): Promise<Snapshot> {
    return (await this.analysis(id)).index.snapshot;
  }

  /** A snapshot's analysis; the first time, every host's view starts rendering in the background. */
  async analysis(id: string): Promise<Analysis> {
    const a = await this.analyses.get(id);
    if (!a) throw new ServiceError(404, `no snapshot ${id}`);
    void this.views.prerender(id, a, () => this.analyses.peek(id) === a);
    return a;
  }

  /** Resolves once every host's focused view of the snapshot is rendered. */
  async hostViewsReady(id: string): Promise<number> {
    const a = await this.analysis(id);
    return this.views.prerender(id, a, () => this.analyses.peek(id) === a);
  }

  /**
   * Imports a snapshot file, or a dump (`hoplens dump`), which becomes a new snapshot: unknown
   * formats and schema violations are refused with the reason.
   */
  async import(body: unknown): Promise<SnapshotSummary> {
    let snapshot: Snapshot;
    try {
      const isDump = typeof body === 'object' && body !== null && (body as { kind?: unknown }).kind === 'hoplens-dump';
      snapshot = isDump ? createSnapshot(readDump(body).hosts, 'imported dump') : readSnapshot(body);
    } catch (e) {
      throw new ServiceError(422, (e as Error).message);
    }
    return this.stored(snapshot);
  }

  /** Deletes a snapshot: explicit, and the caller logs it. */
  async delete(id: string): Promise<void> {
    if ((await this.forget([id])).length === 0) throw new ServiceError(404, `no snapshot ${id}`);
  }

  /** Deletes snapshots (and what is cached of them); returns those that existed. */
  async forget(ids: readonly string[]): Promise<string[]> {
    for (const id of ids) {
      this.analyses.forget(id);
      this.views.forget(id);
    }
    return this.store.delete(ids);
  }

  /** Collects from the configured sources; concurrent requests share one run. */
  collect(): Promise<SnapshotSummary> {
    const collections = this.collections;
    if (!collections)
      throw new ServiceError(409, 'no sources configured: start hoplens with --hosts HOSTMAP.json or --sources FILE');
    this.collecting ??= collections
      .run()
      .then((snapshot) => this.stored(snapshot))
      .finally(() => {
        this.collecting = undefined;
      });
    return this.collecting;
  }

  /** Where the current or last collection stands, per source, and the schedule's runs. */
  async collectStatus(): Promise<CollectStatus> {
    const now = this.collections?.status() ?? { running: false, sources: [] };
    return this.scheduleStatus ? { ...now, schedule: await this.scheduleStatus() } : now;
  }

  /** The graph as gzipped JSON: whole, or with `focus` one element's neighbourhood. */
  async graphGzip(id: string, q: GraphQuery): Promise<Buffer> {
    return this.views.graph(id, await this.analysis(id), q);
  }

  /** The overview (or whole graph) the dashboard draws, as gzipped JSON. */
  async viewGzip(id: string, q: ViewQuery): Promise<Buffer> {
    return this.views.view(id, await this.analysis(id), q);
  }

  /** Elements matching an IP, MAC or name, the best first. */
  async search(id: string, q: SearchQuery): Promise<SearchResult> {
    return viewsOf(await this.analysis(id)).search.search(q);
  }

  /** What changed from snapshot `a` to snapshot `b`, and which findings that resolved or raised. */
  async compare(a: string, b: string): Promise<SnapshotDiff> {
    const [before, after] = await Promise.all([this.analysis(a), this.analysis(b)]);
    return diffSnapshots(before, after);
  }

  /** A pod's path (`pod=`), or a ping from `from=HOST[/NETNS]` to `to=IP`. */
  async trace(id: string, q: TraceQuery): Promise<TraceResult> {
    const { index } = await this.analysis(id);
    if (q.pod !== undefined) {
      const ends = podTraceEndpoints(index, q.pod, q.to);
      return trace(index, ends.from, ends.to, q);
    }
    if (q.from === undefined || q.to === undefined)
      throw new ServiceError(400, 'trace needs pod=NS/NAME or from=HOST[/NETNS] and to=IP');
    return trace(index, netnsFrom(index, q.from), q.to, q);
  }

  /** Stores a snapshot and tells every open dashboard (and whoever listens to `events`), once. */
  private async stored(snapshot: Snapshot): Promise<SnapshotSummary> {
    const added = await this.analyses.add(snapshot);
    if (added.stored) this.events.emit(added.summary);
    return added.summary;
  }
}
