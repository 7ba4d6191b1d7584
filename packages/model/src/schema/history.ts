import Type from 'typebox';
import { SeveritySchema, SnapshotSummarySchema } from './snapshot.ts';

/** A finding as history remembers it: its identity (rule and the names it concerns) and how it read. */
export const FindingRefSchema = Type.Object({
  /** Rule and subject names: the same key in two snapshots is the same finding. */
  key: Type.String(),
  rule: Type.String(),
  severity: SeveritySchema,
  message: Type.String(),
  /** Graph ids of what it concerns, in the snapshot where it was first seen. */
  subjects: Type.Array(Type.String()),
});
export type FindingRef = Type.Static<typeof FindingRefSchema>;

/** One stretch of a finding's life: from the snapshot where it appeared to the first one without it. */
export const TimelineSpanSchema = Type.Object({
  appeared: Type.String(),
  appearedAt: Type.String(),
  /** The last snapshot without it before it appeared: "what changed" compares these two. */
  before: Type.Optional(Type.String()),
  /** The first snapshot without it again; absent while it lasts. */
  resolved: Type.Optional(Type.String()),
  resolvedAt: Type.Optional(Type.String()),
});
export type TimelineSpan = Type.Static<typeof TimelineSpanSchema>;

/** Findings over time across the stored snapshots of one source (GET /api/snapshots/:id/timeline). */
export const TimelineSchema = Type.Object({
  source: Type.String(),
  snapshots: Type.Array(Type.Object({ id: Type.String(), createdAt: Type.String() })),
  findings: Type.Array(Type.Intersect([FindingRefSchema, Type.Object({ spans: Type.Array(TimelineSpanSchema) })])),
});
export type Timeline = Type.Static<typeof TimelineSchema>;

/** `event: findings` on GET /api/events: findings a new snapshot has that the one before it lacked. */
export const FindingsEventSchema = Type.Object({
  snapshot: SnapshotSummarySchema,
  /** The previous snapshot of the same source; null for the first. */
  before: Type.Union([Type.String(), Type.Null()]),
  added: Type.Array(FindingRefSchema),
});
export type FindingsEvent = Type.Static<typeof FindingsEventSchema>;

/** The store as GET /api/info reports it. */
export const StoreInfoSchema = Type.Object({
  kind: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')]),
  /** Disk used by the store: the database file with its WAL, or PostgreSQL's tables and indexes. */
  bytes: Type.Integer({ minimum: 0 }),
  snapshots: Type.Integer({ minimum: 0 }),
  /** Distinct host inventories and pod lists stored, shared by every snapshot that has them. */
  blobs: Type.Integer({ minimum: 0 }),
  /** What retention keeps, as people read it ("7d, or the last 100; pinned and first appearances"). */
  retention: Type.String(),
});
export type StoreInfo = Type.Static<typeof StoreInfoSchema>;

/** One scheduled collection and how it ended. */
export const CollectRunSchema = Type.Object({
  startedAt: Type.String(),
  outcome: Type.Union([Type.Literal('stored'), Type.Literal('failed'), Type.Literal('skipped')]),
  snapshot: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
});
export type CollectRun = Type.Static<typeof CollectRunSchema>;

/** Periodic collection (`hoplens start --every 5m`), in GET /api/collect. */
export const ScheduleStatusSchema = Type.Object({
  everyMs: Type.Integer({ minimum: 1 }),
  nextAt: Type.Optional(Type.String()),
  /** The latest runs, newest first. */
  runs: Type.Array(CollectRunSchema),
});
export type ScheduleStatus = Type.Static<typeof ScheduleStatusSchema>;
