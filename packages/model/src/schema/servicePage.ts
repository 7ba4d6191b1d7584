import Type from 'typebox';
import { TraceProtoSchema } from './trace.ts';

/** Most Service ports one page may hold: a typeahead's worth. */
export const MAX_SERVICE_PAGE = 200;

/** Which Service ports to list: those whose `namespace/name:port` or ClusterIP contains `q`. */
export const ServiceQuerySchema = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_SERVICE_PAGE })),
});
export type ServiceQuery = Type.Static<typeof ServiceQuerySchema>;

/** A Service port a snapshot's kube-proxy rules program: what a trace can be asked to reach by name. */
export const ServicePortSchema = Type.Object({
  /** `namespace/name:port`, as kube-proxy names it (port: the Service port's name); a trace's `to`. */
  key: Type.String(),
  clusterIp: Type.String(),
  proto: TraceProtoSchema,
  port: Type.Integer({ minimum: 1, maximum: 65535 }),
});
export type ServicePort = Type.Static<typeof ServicePortSchema>;

/** One page of a snapshot's Service ports, and how many matched in all. */
export const ServicePageSchema = Type.Object({
  services: Type.Array(ServicePortSchema),
  total: Type.Integer({ minimum: 0 }),
});
export type ServicePage = Type.Static<typeof ServicePageSchema>;
