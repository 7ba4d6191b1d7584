import Type from 'typebox';
import { HostInventorySchema } from './inventory.ts';
import { KubeServicesSchema } from './kubeService.ts';
import { closedSchema } from './closed.ts';
import { MAX_SOURCE_LENGTH, SNAPSHOT_FORMAT } from './formats.ts';
import { NetnsRefSchema } from './refs.ts';
import { SNAPSHOT_ID_PATTERN } from './snapshotId.ts';

export const PodSchema = Type.Object({
  name: Type.String(),
  namespace: Type.String(),
  ips: Type.Array(Type.String()),
  /** Namespaces that hold the pod: on the worker, and on the pod VM for a peer pod. */
  netns: Type.Array(NetnsRefSchema),
  node: Type.Optional(Type.String()),
  /** True when the pod was inferred from a netns with a global IP rather than named by Kubernetes. */
  inferred: Type.Boolean(),
});
export type Pod = Type.Static<typeof PodSchema>;

export const SnapshotSchema = Type.Object({
  format: Type.Literal(SNAPSHOT_FORMAT),
  id: Type.String({ pattern: SNAPSHOT_ID_PATTERN }),
  createdAt: Type.String(),
  source: Type.String(),
  hosts: Type.Array(HostInventorySchema),
  pods: Type.Array(PodSchema),
  /** Services and EndpointSlices from the Kubernetes API, where the collection had a kubeconfig. */
  kubernetes: Type.Optional(KubeServicesSchema),
});
export type Snapshot = Type.Static<typeof SnapshotSchema>;

/** When a snapshot or dump was made: an RFC 3339 time, as `Date.toISOString()` writes it. */
export const CreatedAtSchema = Type.String({ format: 'date-time', maxLength: 40 });

/**
 * A snapshot entering from outside (an import, a collection): every object closed to the fields
 * the format defines, a real time, and a label of bounded length. Snapshots stored before this
 * check may hold more; the store reads them with the open SnapshotSchema and drops what is unknown.
 */
export const SnapshotInputSchema = closedSchema(
  Type.Object({
    ...SnapshotSchema.properties,
    createdAt: CreatedAtSchema,
    source: Type.String({ minLength: 1, maxLength: MAX_SOURCE_LENGTH }),
  }),
);

export const SeveritySchema = Type.Union([
  Type.Literal('info'),
  Type.Literal('warning'),
  Type.Literal('critical'),
  Type.Literal('fatal'),
]);
export type Severity = Type.Static<typeof SeveritySchema>;

export const SnapshotSummarySchema = Type.Object({
  id: Type.String(),
  createdAt: Type.String(),
  source: Type.String(),
  hosts: Type.Integer(),
  pods: Type.Integer(),
  findings: Type.Object({
    info: Type.Integer(),
    warning: Type.Integer(),
    critical: Type.Integer(),
    fatal: Type.Integer(),
  }),
  /** Kept by retention whatever its age: a link to it was shared. */
  pinned: Type.Optional(Type.Boolean()),
});
export type SnapshotSummary = Type.Static<typeof SnapshotSummarySchema>;
