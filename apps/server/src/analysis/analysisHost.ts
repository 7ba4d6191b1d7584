import { gzipSync } from 'node:zlib';
import { askSourcesOvs, createSnapshot } from '@hoplens/collector';
import {
  podPage,
  servicePage,
  analyze,
  checkSnapshotLimits,
  diffSnapshots,
  netnsFrom,
  podTraceEndpoints,
  readDump,
  readSnapshot,
  SnapshotLimitError,
  trace,
  traceAsking,
  withFindingFixes,
  type Analysis,
  type NetnsRef,
  type PrepareEvent,
  type SourcesConfig,
  type Snapshot,
  type SnapshotIndex,
  type TraceQuery,
  type TraceResult,
} from '@hoplens/model';
import type { CollectedAnswer } from '../services/collectPlan.ts';
import { ServiceError } from '../services/serviceError.ts';
import { inflatedSize } from '../store/partTexts.ts';
import { packInBackground } from '../store/packInBackground.ts';
import { cutHost, metaOf, readStoredRow, splitSnapshot, type StoredRow } from '../store/snapshotParts.ts';
import { schemaIdIfStored, storedSnapshotOf } from '../store/storedSchemaId.ts';
import { ANALYSIS_BYTES_PER_JSON_BYTE, AnalysisCache, findingRefs, summarize } from './analysisCache.ts';
import { viewsOf } from './analysisViews.ts';
import { CollectedAnswers } from './collectedAnswers.ts';
import { idsOf, type Imported, type Query } from './protocol.ts';
import { RenderedViews } from './renderedViews.ts';

/**
 * The analysis side of the server, run in the analysis worker: parses and checks imports, analyses
 * snapshots (graph, rules, views) and answers every question about them as gzipped JSON. Nothing
 * here runs on the API's event loop, so a 20-second analysis stalls no request.
 */
export class AnalysisHost {
  private readonly analyses: AnalysisCache;
  /** Imports analysed but not stored yet: invisible to queries until committed. */
  private readonly pending = new Map<string, { analysis: Analysis; bytes: number }>();
  private readonly views = new RenderedViews();
  /** Collections whose answers are arriving, by stream. */
  private readonly collecting = new Map<number, CollectedAnswers>();

  /** `progress` hears each step of preparing a stored snapshot (a cold open): its words for the dashboard. */
  constructor(
    cacheBytes: number,
    private readonly progress: (p: PrepareEvent) => void = () => undefined,
  ) {
    this.analyses = new AnalysisCache(cacheBytes);
  }

  /**
   * Reads an import (a snapshot or a dump, as JSON bytes): limits first (SNAPSHOT_LIMITS, 413),
   * then the schema (422), then the analysis. Held until `commit` once the store has it.
   */
  async import(body: Uint8Array, now: number): Promise<Imported> {
    return this.imported(readImport(body, now), body.byteLength);
  }

  /**
   * Reads the answers of collection `stream` as they arrive (see CollectedAnswers). Analyses kept
   * for queries stay until the snapshot is made (`imported` makes room then, as for an import): a
   * dashboard looking at the last snapshot meanwhile is not sent back to a cold open.
   *
   * Throws why no snapshot will be made of the stream, once that is known (past a limit: 413; begun
   * in a worker before this one: 503), so that the run stops asking its sources. What was read of it
   * is dropped then; the stream itself is forgotten on `abandon` (or `collected`).
   */
  answers(stream: number, answers: readonly CollectedAnswer[]): void {
    if (answers.length === 0) return;
    let c = this.collecting.get(stream);
    // Answers are numbered as they arrive and handed on in order: a stream first heard of after its
    // answer 0 began in a worker before this one.
    if (!c) this.collecting.set(stream, (c = new CollectedAnswers(answers[0]?.answer !== 0)));
    c.add(answers);
    if (c.refusal) throw c.refusal;
  }

  /** Collection `stream` has ended: its snapshot, made as `plan` says, is imported. */
  async collected(stream: number, plan: Uint8Array, now: number): Promise<Imported> {
    const c = this.collecting.get(stream) ?? new CollectedAnswers();
    this.collecting.delete(stream);
    // `now` was taken when the run ended; the snapshot's time is taken later (imports go one at a time).
    return this.imported(c.snapshot(plan, Math.max(now, Date.now())), c.bytes, c.cut);
  }

  /** Collection `stream` failed: its answers are dropped. */
  abandon(stream: number): void {
    this.collecting.delete(stream);
  }

  /**
   * A checked snapshot of `jsonBytes` bytes of JSON, analysed and cut into parts (its hosts by
   * `cut`, see splitSnapshot), held until `commit`.
   */
  private async imported(snapshot: Snapshot, jsonBytes: number, cut = cutHost): Promise<Imported> {
    const checked = schemaIdIfStored(snapshot);
    const bytes = jsonBytes * ANALYSIS_BYTES_PER_JSON_BYTE;
    this.analyses.makeRoom(bytes);
    // Gzipped beside the analysis (on a thread of their own, but for small snapshots).
    const packing = packInBackground(splitSnapshot(snapshot, cut));
    let analysed: Analysis | undefined;
    try {
      const analysis = (analysed = analyze(snapshot));
      this.pending.set(snapshot.id, { analysis, bytes });
      return {
        summary: summarize(snapshot, analysis),
        meta: checked === undefined ? metaOf(snapshot) : { ...metaOf(snapshot), checked },
        findings: findingRefs(analysis),
        derived: {
          view: this.views.view(snapshot.id, analysis, {}),
          findings: this.views.json(snapshot.id, 'findings', () => analysis.findings),
        },
        parts: await packing.done,
      };
    } catch (e) {
      packing.cancel();
      // Only what this import left: another import of the same id may be pending or stored.
      if (analysed !== undefined && this.pending.get(snapshot.id)?.analysis === analysed)
        this.pending.delete(snapshot.id);
      if (!this.pending.has(snapshot.id) && !this.analyses.peek(snapshot.id)) this.views.forget(snapshot.id);
      throw e;
    }
  }

  /** The import of `id` is stored: from now on it answers queries. */
  commit(id: string): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    this.analyses.add(id, p.analysis, p.bytes);
  }

  /** Drops a snapshot (deleted, or an import the store refused) and its views. */
  forget(id: string): void {
    this.pending.delete(id);
    this.analyses.forget(id);
    this.views.forget(id);
  }

  /** The ids among the query's snapshots that are neither analysed nor given in `stored`. */
  missing(query: Query, stored: Readonly<Record<string, StoredRow>>): string[] {
    if (query.op === 'compare' && this.views.hasCompare(query.a, query.b)) return [];
    return idsOf(query).filter((id) => !this.analyses.peek(id) && stored[id] === undefined);
  }

  /** Answers a query; `stored` holds the gzipped snapshots it lacked (see `missing`). */
  async answer(query: Query, stored: Readonly<Record<string, StoredRow>>): Promise<Buffer | number> {
    const loaded = Object.entries(stored).filter(([id]) => !this.analyses.peek(id));
    const needed = new Set(idsOf(query));
    for (const [id, row] of loaded) this.load(id, row, needed);
    if (query.op === 'graph' || query.op === 'view')
      for (const [id] of loaded) this.progress({ snapshot: id, stage: 'drawing' });
    switch (query.op) {
      case 'graph':
        return this.views.graph(query.id, this.analysis(query.id), query.q);
      case 'view':
        return this.views.view(query.id, this.analysis(query.id), query.q);
      case 'search':
        return gzipJson(viewsOf(this.analysis(query.id)).search.search(query.q));
      case 'findings': {
        const a = this.analysis(query.id);
        return this.views.json(query.id, 'findings', () => a.findings);
      }
      case 'pods':
        return gzipJson(podPage(this.analysis(query.id).index.snapshot.pods, query.q));
      case 'services':
        return gzipJson(servicePage(this.analysis(query.id).index, query.q));
      case 'snapshot': {
        const a = this.analysis(query.id);
        return this.views.json(query.id, 'snapshot', () => a.index.snapshot);
      }
      case 'findingRefs':
        return gzipJson(findingRefs(this.analysis(query.id)));
      case 'trace': {
        const { index, findings } = this.analysis(query.id);
        return gzipJson(withFindingFixes(await traceQuery(index, query.q, query.sources), findings));
      }
      case 'compare':
        return this.views.compare(query.a, query.b, () =>
          diffSnapshots(this.analysis(query.a), this.analysis(query.b)),
        );
      case 'prepare':
        this.analysis(query.id);
        return 0;
      case 'hostViews': {
        const a = this.analysis(query.id);
        return this.views.prerender(query.id, a, () => this.analyses.peek(query.id) === a);
      }
    }
  }

  /** An analysed snapshot; the first time, every host's view starts rendering in the background. */
  private analysis(id: string): Analysis {
    const a = this.analyses.get(id);
    if (!a) throw new ServiceError(404, `no snapshot ${id}`);
    void this.views.prerender(id, a, () => this.analyses.peek(id) === a);
    return a;
  }

  /** Loads and analyses a stored snapshot, evicting others to make room, never those in `keep`. */
  private load(id: string, row: StoredRow, keep: ReadonlySet<string>): void {
    this.progress({ snapshot: id, stage: 'loading', bytes: storedJsonBytes(row) });
    const read = readStoredRow(row);
    const bytes = read.jsonBytes * ANALYSIS_BYTES_PER_JSON_BYTE;
    this.analyses.makeRoom(bytes, keep);
    this.progress({ snapshot: id, stage: 'validating', bytes: read.jsonBytes });
    const snapshot = storedSnapshotOf(read);
    const counts = { hosts: snapshot.hosts.length, pods: snapshot.pods.length };
    const analysis = analyze(snapshot, (step) => this.progress({ snapshot: id, ...counts, ...step }));
    this.analyses.add(id, analysis, bytes, keep);
  }
}

/**
 * The JSON a stored snapshot decompresses to, before decompressing it: each gzip member ends with
 * its size (mod 4 GiB, and no part is that large).
 */
function storedJsonBytes(row: StoredRow): number {
  if (row.layout === 'whole') return inflatedSize(row.body);
  let bytes = inflatedSize(row.manifest);
  for (const [, gz] of row.blobs) bytes += inflatedSize(gz);
  return bytes;
}

/** An import's bytes as a snapshot: a snapshot file, or a dump that becomes a new snapshot. */
function readImport(body: Uint8Array, now: number): Snapshot {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch (e) {
    throw new ServiceError(400, `body is not valid JSON: ${(e as Error).message}`);
  }
  try {
    checkSnapshotLimits(value);
    const isDump = typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'hoplens-dump';
    return isDump ? createSnapshot(readDump(value).hosts, 'imported dump') : readSnapshot(value, { now });
  } catch (e) {
    if (e instanceof SnapshotLimitError) throw e;
    throw new ServiceError(422, (e as Error).message);
  }
}

/**
 * A pod's path (`pod=`), or a ping from `from=HOST[/NETNS]` to `to=IP`. Where it meets an Open
 * vSwitch bridge the snapshot recorded no answer for, a server with sources asks that host's switch
 * live (its agent, or this machine's); an offline snapshot ends that hop `unknown`.
 */
async function traceQuery(
  index: SnapshotIndex,
  q: TraceQuery,
  sources: SourcesConfig | undefined,
): Promise<TraceResult> {
  let from: NetnsRef;
  let to: string;
  if (q.pod !== undefined) {
    ({ from, to } = podTraceEndpoints(index, q.pod, q.to));
  } else {
    if (q.from === undefined || q.to === undefined)
      throw new ServiceError(400, 'trace needs pod=NS/NAME or from=HOST[/NETNS] and to=IP');
    from = netnsFrom(index, q.from);
    to = q.to;
  }
  const hasOvs = index.snapshot.hosts.some((h) => h.ovs !== undefined);
  return sources && hasOvs
    ? traceAsking(index, from, to, q, (question) => askSourcesOvs(sources, question))
    : trace(index, from, to, q);
}

const gzipJson = (value: unknown): Buffer => gzipSync(JSON.stringify(value), { level: 1 });
