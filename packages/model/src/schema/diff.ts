import Type from 'typebox';
import { FindingSchema } from './finding.ts';
import { SNAPSHOT_ID_PATTERN } from './snapshotId.ts';

/** One difference between two snapshots, named the way people read it. */
export const ChangeSchema = Type.Object({
  change: Type.Union([Type.Literal('added'), Type.Literal('removed'), Type.Literal('changed')]),
  what: Type.Union([
    Type.Literal('host'),
    Type.Literal('netns'),
    Type.Literal('interface'),
    Type.Literal('route'),
    Type.Literal('neighbor'),
    Type.Literal('tc'),
  ]),
  /** `host/netns/interface`, or as much of it as applies. */
  where: Type.String(),
  /**
   * Graph id in the newer snapshot's graph to mark: the element itself, or for something removed the
   * nearest element that is still there.
   */
  element: Type.Optional(Type.String()),
  /** For `changed`: what changed (mac, mtu, state, vni, port, remote, local, addresses, master, peer, kind). */
  field: Type.Optional(Type.String()),
  before: Type.Optional(Type.String()),
  after: Type.Optional(Type.String()),
  /** An interface deleted and created again under its name (its ifindex differs): a rebuild. */
  recreated: Type.Optional(Type.Literal(true)),
});
export type Change = Type.Static<typeof ChangeSchema>;

/** What changed from snapshot `a` (before) to snapshot `b` (after). */
export const SnapshotDiffSchema = Type.Object({
  a: Type.String(),
  b: Type.String(),
  changes: Type.Array(ChangeSchema),
  findings: Type.Object({
    /** In `a`, gone from `b`: what the change fixed. */
    resolved: Type.Array(FindingSchema),
    /** In `b`, not in `a`: what the change broke. */
    added: Type.Array(FindingSchema),
    /** In both. */
    unchanged: Type.Integer({ minimum: 0 }),
  }),
});
export type SnapshotDiff = Type.Static<typeof SnapshotDiffSchema>;

export const CompareQuerySchema = Type.Object({
  a: Type.String({ pattern: SNAPSHOT_ID_PATTERN }),
  b: Type.String({ pattern: SNAPSHOT_ID_PATTERN }),
});
export type CompareQuery = Type.Static<typeof CompareQuerySchema>;
