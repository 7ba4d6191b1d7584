import type {
  FindingRef,
  GraphQuery,
  PrepareEvent,
  PodQuery,
  SearchQuery,
  ServiceQuery,
  SnapshotSummary,
  SourcesConfig,
  TraceQuery,
  ViewQuery,
} from '@hoplens/model';
import type { CollectedAnswer } from '../services/collectPlan.ts';
import type { PackedParts } from '../store/packedParts.ts';
import type { SnapshotMeta, StoredRow } from '../store/snapshotParts.ts';

/** A question about stored snapshots, answered in the analysis worker. */
export type Query =
  | { readonly op: 'graph'; readonly id: string; readonly q: GraphQuery }
  | { readonly op: 'view'; readonly id: string; readonly q: ViewQuery }
  | { readonly op: 'search'; readonly id: string; readonly q: SearchQuery }
  | { readonly op: 'findings'; readonly id: string }
  | { readonly op: 'pods'; readonly id: string; readonly q: PodQuery }
  /** The Service ports its kube-proxy rules program: destinations a trace can name. */
  | { readonly op: 'services'; readonly id: string; readonly q: ServiceQuery }
  /** The snapshot itself, as the export gives it. */
  | { readonly op: 'snapshot'; readonly id: string }
  /** Its findings as history keeps them (FindingRef[]), for a snapshot stored before they were kept. */
  | { readonly op: 'findingRefs'; readonly id: string }
  /** With `sources`, the switches of a live server's hosts answer what the snapshot did not record. */
  | { readonly op: 'trace'; readonly id: string; readonly q: TraceQuery; readonly sources?: SourcesConfig }
  | { readonly op: 'compare'; readonly a: string; readonly b: string }
  | { readonly op: 'hostViews'; readonly id: string }
  /** Analyses the snapshot if it is not (in the background of a cold open answered from derived results). */
  | { readonly op: 'prepare'; readonly id: string };

/**
 * What is persisted of a snapshot's analysis so a restarted server answers its first view at once:
 * the overview with nothing expanded, and the findings, as the API sends them (gzipped JSON).
 */
export type Derived = Readonly<Record<'view' | 'findings', Uint8Array>>;

/** The snapshots a query needs. */
export const idsOf = (q: Query): string[] => (q.op === 'compare' ? [q.a, q.b] : [q.id]);

/** What the main thread asks of the worker. */
export type Ask =
  | {
      readonly kind: 'query';
      readonly query: Query;
      /** Stored snapshots the worker said it lacks, by id, as the store holds them. */
      readonly stored: Readonly<Record<string, StoredRow>>;
    }
  /** A body to import: parsed, checked, analysed and held until `commit` (stored) or `forget`. */
  | { readonly kind: 'import'; readonly body: Uint8Array; readonly now: number }
  /** A collection's answers as they arrive, read at once: numbered by the collection (`stream`). */
  | { readonly kind: 'answers'; readonly stream: number; readonly answers: readonly CollectedAnswer[] }
  /**
   * The collection `stream` has ended: its snapshot is made of its answers as `plan` (a
   * CollectPlan's JSON) says, then imported as `import` is. Its answers are dropped either way.
   */
  | { readonly kind: 'collected'; readonly stream: number; readonly plan: Uint8Array; readonly now: number }
  /** The collection `stream` failed: its answers are dropped. */
  | { readonly kind: 'abandon'; readonly stream: number }
  | { readonly kind: 'commit' | 'forget'; readonly id: string }
  /** The service of this scope is closed: drop all it had. */
  | { readonly kind: 'drop' };

/**
 * Main thread → worker. Bodies travel as bytes (transferred, not copied). `scope` tells the
 * services of one process apart (tests start many over one worker): each has its own analyses.
 */
export type Request = Ask & { readonly seq: number; readonly scope: number };

/** What an import gives the main thread to store: the snapshot cut into its parts, and its findings. */
export interface Imported {
  readonly summary: SnapshotSummary;
  readonly meta: SnapshotMeta;
  /** Gzipped here, so the API's thread only writes them. */
  readonly parts: PackedParts;
  readonly findings: readonly FindingRef[];
  /** Its first view and findings, to persist beside it. */
  readonly derived: Derived;
}

/** An HTTP-mappable refusal, as it crosses threads. */
export interface WireError {
  readonly status: number;
  readonly message: string;
}

/** Worker → main thread, one per request. */
export type Response =
  | { readonly seq: number; readonly gz: Uint8Array }
  | { readonly seq: number; readonly count: number }
  | { readonly seq: number; readonly imported: Imported }
  | { readonly seq: number; readonly missing: readonly string[] }
  | { readonly seq: number; readonly done: true }
  | { readonly seq: number; readonly error: WireError };

/** Worker → main thread, unasked: how the preparation of a stored snapshot goes, step by step (a cold open). */
export interface Progress {
  readonly scope: number;
  readonly progress: PrepareEvent;
}

/** Everything the worker posts. */
export type WorkerMessage = Response | Progress;
