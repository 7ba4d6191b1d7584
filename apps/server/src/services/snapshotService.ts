import { gzipSync } from 'node:zlib';
import {
  diffSnapshots,
  Disclosure,
  nodeHosts,
  GraphSearch,
  ViewInputError,
  type SearchQuery,
  type SearchResult,
  type SnapshotDiff,
  type ViewQuery,
  GraphFocus,
  UnknownFocusError,
  type GraphQuery,
  podTraceEndpoints,
  type Analysis,
  readDump,
  readSnapshot,
  trace,
  TraceInputError,
  type CollectStatus,
  type ScheduleStatus,
  type Snapshot,
  type SourcesConfig,
  type SnapshotSummary,
  type TraceQuery,
  type TraceResult,
} from '@hoplens/model';
import { AnalysisCache } from './analysisCache.ts';
import { inBackground } from './inBackground.ts';
import { RenderedCache } from './renderedCache.ts';
import { createSnapshot } from '@hoplens/collector';
import { CollectError } from './collectInChild.ts';
import { Collections } from './collections.ts';
import { SnapshotEvents } from './snapshotEvents.ts';
import { SnapshotConflictError, StoreFullError, type SnapshotStore } from '../store/snapshotStore.ts';

/** Bytes of rendered views (focused graphs) kept across snapshots. */
const RENDERED_BUDGET = 256 * 2 ** 20;

/** An HTTP-mappable failure: the route turns it into a clear 4xx. */
export class ServiceError extends Error {
  override readonly name = 'ServiceError';
  constructor(
    readonly statusCode: 400 | 404 | 409 | 422 | 502 | 507,
    message: string,
  ) {
    super(message);
  }
}

/** What the routes call: stored snapshots, their analysis, collection and traces. */
export class SnapshotService {
  private readonly analyses: AnalysisCache;
  private collecting: Promise<SnapshotSummary> | undefined;
  /** Per analysis, so it goes when the analysis is evicted. */
  private readonly focuses = new WeakMap<Analysis, GraphFocus>();
  private readonly disclosures = new WeakMap<Analysis, Disclosure>();
  private readonly searches = new WeakMap<Analysis, GraphSearch>();
  /** Which host each graph element lives on: shared by the overview and search. */
  private readonly hostsOf = new WeakMap<Analysis, Map<string, readonly string[]>>();
  private readonly rendered = new RenderedCache(RENDERED_BUDGET);
  private readonly prerenders = new WeakMap<Analysis, Promise<number>>();

  constructor(
    readonly store: SnapshotStore,
    sources: SourcesConfig | undefined,
  ) {
    this.analyses = new AnalysisCache(store);
    this.collections = sources && new Collections(sources);
  }

  private readonly collections: Collections | undefined;
  /** New snapshots, as they are stored: for GET /api/events. */
  readonly events = new SnapshotEvents();

  get canCollect(): boolean {
    return this.collections !== undefined;
  }

  list(): Promise<SnapshotSummary[]> {
    return this.store.list();
  }

  async snapshot(id: string): Promise<Snapshot> {
    return (await this.analysis(id)).index.snapshot;
  }

  async analysis(id: string): Promise<Analysis> {
    const a = await this.analyses.get(id);
    if (!a) throw new ServiceError(404, `no snapshot ${id}`);
    if (!this.prerenders.has(a)) this.prerenders.set(a, this.prerenderHosts(id, a));
    return a;
  }

  /**
   * Resolves once every host's focused view of the snapshot is rendered (started in the background
   * when the snapshot is first analysed): the first person to open any host then waits for nothing.
   */
  async hostViewsReady(id: string): Promise<number> {
    const a = await this.analysis(id);
    return this.prerenders.get(a) ?? 0;
  }

  private prerenderHosts(id: string, analysis: Analysis): Promise<number> {
    const hosts = analysis.graph.nodes.filter((n) => n.kind === 'host');
    return inBackground(hosts, (h) => this.focusedGzip(id, analysis, h.id), {
      // Past half the budget, views would push each other out: leave the rest to be rendered on demand.
      stop: () => this.rendered.usedBytes > RENDERED_BUDGET / 2 || this.analyses.peek(id) !== analysis,
    });
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
      this.rendered.forget(`${id}\0`);
    }
    return this.store.delete(ids);
  }

  /** Stores a snapshot and tells every open dashboard (and whoever listens to `events`). */
  private async stored(snapshot: Snapshot): Promise<SnapshotSummary> {
    let added;
    try {
      added = await this.analyses.add(snapshot);
    } catch (e) {
      if (e instanceof SnapshotConflictError) throw new ServiceError(409, e.message);
      if (e instanceof StoreFullError) throw new ServiceError(507, e.message);
      throw e;
    }
    if (added.stored) this.events.emit(added.summary);
    return added.summary;
  }

  /** Collects from the configured sources; concurrent requests share one run. */
  collect(): Promise<SnapshotSummary> {
    const collections = this.collections;
    if (!collections)
      throw new ServiceError(409, 'no sources configured: start hoplens with --hosts HOSTMAP.json or --sources FILE');
    this.collecting ??= collections
      .run()
      .then((snapshot) => this.stored(snapshot))
      .catch((e: unknown) => {
        throw e instanceof CollectError ? new ServiceError(502, e.message) : e;
      })
      .finally(() => {
        this.collecting = undefined;
      });
    return this.collecting;
  }

  /** Periodic collection's status, when the server collects on its own (set by CollectSchedule's owner). */
  scheduleStatus: (() => Promise<ScheduleStatus>) | undefined;

  /** Where the current or last collection stands, per source, and the schedule's runs. */
  async collectStatus(): Promise<CollectStatus> {
    const now = this.collections?.status() ?? { running: false, sources: [] };
    return this.scheduleStatus ? { ...now, schedule: await this.scheduleStatus() } : now;
  }

  /** The whole graph, or with `focus` one element's neighbourhood (adjacency built once per snapshot). */
  /**
   * The graph as gzipped JSON. A snapshot never changes, so a focused view once rendered is kept
   * (within RENDERED_BUDGET) for the next viewer, compressed: a host's view is ~55 kB of JSON, ~6 kB
   * gzipped. The whole graph (10⁶ elements at cluster scale) is rendered per request, never kept.
   */
  async graphGzip(id: string, q: GraphQuery): Promise<Buffer> {
    const analysis = await this.analysis(id);
    if (q.focus === undefined) return gzipSync(JSON.stringify(analysis.graph), { level: 1 });
    return this.focusedGzip(id, analysis, q.focus);
  }

  /** One focused view, rendered and compressed once, then served from `rendered`. */
  private focusedGzip(id: string, analysis: Analysis, focusId: string): Buffer {
    return this.rendered.get(`${id}\0${focusId}`, () => {
      const focus = memo(this.focuses, analysis, () => new GraphFocus(analysis.graph));
      try {
        return gzipSync(JSON.stringify(focus.focus(focusId)));
      } catch (e) {
        if (e instanceof UnknownFocusError) throw new ServiceError(404, e.message);
        throw e;
      }
    });
  }

  /**
   * What the dashboard draws: the whole graph of a small snapshot, or the overview of host groups
   * with the listed groups expanded. Gzipped: an overview of 5,000 hosts is a few hundred kB of JSON.
   */
  async viewGzip(id: string, q: ViewQuery): Promise<Buffer> {
    const analysis = await this.analysis(id);
    const disclosure = memo(
      this.disclosures,
      analysis,
      () => new Disclosure(analysis.graph, analysis.findings, { hostOf: this.hostOf(analysis) }),
    );
    const expand = [...new Set((q.expand ?? '').split(',').filter(Boolean))].sort();
    // Kept like focused views: the next viewer of the same overview gets it without rendering.
    return this.rendered.get(`${id}\0view\0${expand.join(',')}`, () => {
      try {
        return gzipSync(JSON.stringify(disclosure.view(expand)), { level: 1 });
      } catch (e) {
        if (e instanceof ViewInputError) throw new ServiceError(400, e.message);
        throw e;
      }
    });
  }

  /** Elements matching an IP, MAC or name, the best first. */
  async search(id: string, q: SearchQuery): Promise<SearchResult> {
    const analysis = await this.analysis(id);
    const search = memo(
      this.searches,
      analysis,
      () => new GraphSearch(analysis.graph, analysis.findings, this.hostOf(analysis)),
    );
    return search.search(q);
  }

  private hostOf(analysis: Analysis): Map<string, readonly string[]> {
    return memo(this.hostsOf, analysis, () => nodeHosts(analysis.graph));
  }

  /** What changed from snapshot `a` to snapshot `b`, and which findings that resolved or raised. */
  async compare(a: string, b: string): Promise<SnapshotDiff> {
    const [before, after] = await Promise.all([this.analysis(a), this.analysis(b)]);
    return diffSnapshots(before, after);
  }

  async trace(id: string, q: TraceQuery): Promise<TraceResult> {
    const { index } = await this.analysis(id);
    try {
      if (q.pod !== undefined) {
        const ends = podTraceEndpoints(index, q.pod, q.to);
        return trace(index, ends.from, ends.to, q);
      }
      if (q.from === undefined || q.to === undefined)
        throw new ServiceError(400, 'trace needs pod=NS/NAME or from=HOST[/NETNS] and to=IP');
      const slash = q.from.indexOf('/');
      const host = slash < 0 ? q.from : q.from.slice(0, slash);
      const netns = slash < 0 ? (index.rootOf(host)?.ns.name ?? null) : q.from.slice(slash + 1) || null;
      return trace(index, { host, netns }, q.to, q);
    } catch (e) {
      if (e instanceof TraceInputError) throw new ServiceError(400, e.message);
      throw e;
    }
  }
}

/** What is derived from an analysis once, and goes when the analysis is evicted. */
function memo<T>(cache: WeakMap<Analysis, T>, analysis: Analysis, make: () => T): T {
  let hit = cache.get(analysis);
  if (hit === undefined) cache.set(analysis, (hit = make()));
  return hit;
}
