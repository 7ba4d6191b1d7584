import Type from 'typebox';
import { ScheduleStatusSchema } from './history.ts';

/** Where one source stands: waiting for a free slot, being asked, or finished either way. */
export const SourceStateSchema = Type.Union([
  Type.Literal('queued'),
  Type.Literal('collecting'),
  Type.Literal('done'),
  Type.Literal('failed'),
]);
export type SourceState = Type.Static<typeof SourceStateSchema>;

/** One source as GET /api/collect names it: only the few worth naming (the slowest, the failures). */
export const SourceStatusSchema = Type.Object({
  source: Type.String(),
  state: SourceStateSchema,
  hosts: Type.Integer({ minimum: 0 }),
  /** How long it took, or has been taking so far; absent while queued. */
  ms: Type.Optional(Type.Integer({ minimum: 0 })),
  message: Type.Optional(Type.String()),
});
export type SourceStatus = Type.Static<typeof SourceStatusSchema>;

/** How many sources are in each state; `total` is every source of the run (the Kubernetes API included). */
export const CollectCountsSchema = Type.Object({
  total: Type.Integer({ minimum: 0 }),
  queued: Type.Integer({ minimum: 0 }),
  collecting: Type.Integer({ minimum: 0 }),
  done: Type.Integer({ minimum: 0 }),
  failed: Type.Integer({ minimum: 0 }),
});
export type CollectCounts = Type.Static<typeof CollectCountsSchema>;

/**
 * Where a collection stands (GET /api/collect), as counts rather than one row per source: a cluster
 * has thousands of agents. `slowest` names the sources that took (or are taking) longest, `failures`
 * the first failed ones with why; the snapshot itself has every failed host with its reason.
 */
export const CollectStatusSchema = Type.Object({
  running: Type.Boolean(),
  counts: CollectCountsSchema,
  /** Hosts collected so far. */
  hosts: Type.Integer({ minimum: 0 }),
  /** Longest first: those still running by time so far, then those finished by time taken. */
  slowest: Type.Array(SourceStatusSchema),
  /** The first failures, in the order the sources are listed. */
  failures: Type.Array(SourceStatusSchema),
  /** Present when the server collects periodically. */
  schedule: Type.Optional(ScheduleStatusSchema),
});
export type CollectStatus = Type.Static<typeof CollectStatusSchema>;
