import Type from 'typebox';
import { NetnsRefSchema } from './refs.ts';
import { TraceProtoSchema } from './trace.ts';
import { StoreInfoSchema } from './history.ts';
import { SNAPSHOT_ID_PATTERN } from './snapshotId.ts';

/** Body of every 4xx/5xx answer. */
export const ErrorBodySchema = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String(),
});
export type ErrorBody = Type.Static<typeof ErrorBodySchema>;

export const SnapshotIdParamsSchema = Type.Object({ id: Type.String({ pattern: SNAPSHOT_ID_PATTERN }) });

/**
 * A trace request: either `from` (HOST or HOST/NETNS) and `to` (an IP or a Service), or `pod`
 * (NAMESPACE/NAME) with `to` = `node` (default: from the pod's node to the pod), an IP or a Service
 * (from the pod to it).
 */
export const TraceQuerySchema = Type.Object({
  from: Type.Optional(Type.String({ minLength: 1, maxLength: 600 })),
  pod: Type.Optional(Type.String({ minLength: 1, maxLength: 600 })),
  /** An IP, `node` (with `pod`), or a Service as `namespace/name[:port]` (kube-proxy's port name or number). */
  to: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
  /** ICMP payload bytes, as `ping -s` (default 56). */
  size: Type.Optional(Type.Integer({ minimum: 0, maximum: 65507 })),
  /** Don't Fragment, as `ping -M do`: shows where a large packet no longer fits. */
  df: Type.Optional(Type.Boolean()),
  /** The transport (default icmp); tcp and udp need `port`. */
  proto: Type.Optional(TraceProtoSchema),
  port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
});
export type TraceQuery = Type.Static<typeof TraceQuerySchema>;

/**
 * A graph request. With `focus` (any graph id: `host:…`, `ns:…`, `if:…`, `pod:…`), only that
 * element's neighbourhood: what a browser can draw of a cluster with 10⁶ elements.
 */
export const GraphQuerySchema = Type.Object({
  focus: Type.Optional(Type.String({ minLength: 1, maxLength: 1200 })),
});
export type GraphQuery = Type.Static<typeof GraphQuerySchema>;

export const TraceEndpointsSchema = Type.Object({ from: NetnsRefSchema, to: Type.String() });
export type TraceEndpoints = Type.Static<typeof TraceEndpointsSchema>;

export const ServerInfoSchema = Type.Object({
  version: Type.String(),
  /** Whether the server has local sources to collect from (a host map). */
  canCollect: Type.Boolean(),
  store: StoreInfoSchema,
});
export type ServerInfo = Type.Static<typeof ServerInfoSchema>;
