import Type from 'typebox';

/** At most this many Services and EndpointSlices are kept with a snapshot (a cluster past it is cut, and says so). */
export const MAX_KUBE_SERVICES = 20_000;
export const MAX_KUBE_ENDPOINT_SLICES = 40_000;

const Name = Type.String({ minLength: 1, maxLength: 253 });
const PortName = Type.String({ maxLength: 63 });
const Protocol = Type.Union([Type.Literal('TCP'), Type.Literal('UDP'), Type.Literal('SCTP')]);
const PortNumber = Type.Integer({ minimum: 1, maximum: 65535 });
const Address = Type.String({ minLength: 1, maxLength: 64 });

/** A Service port as the API gives it (`spec.ports[]`): its name (may be empty), protocol and port. */
export const KubeServicePortSchema = Type.Object({
  name: PortName,
  protocol: Protocol,
  port: PortNumber,
});

/** What the Kubernetes API says of a Service, as far as a trace needs it. */
export const KubeServiceSchema = Type.Object({
  namespace: Name,
  name: Name,
  type: Type.String({ maxLength: 32 }),
  /** `spec.clusterIPs`, without `None` (a headless Service has none). */
  clusterIps: Type.Array(Address, { maxItems: 2 }),
  ports: Type.Array(KubeServicePortSchema, { maxItems: 300 }),
});
export type KubeService = Type.Static<typeof KubeServiceSchema>;

/** One EndpointSlice (discovery.k8s.io/v1) of a Service: its ports and endpoints, ready or not. */
export const KubeEndpointSliceSchema = Type.Object({
  namespace: Name,
  name: Name,
  /** The Service it belongs to (label kubernetes.io/service-name). */
  service: Name,
  addressType: Type.Union([Type.Literal('IPv4'), Type.Literal('IPv6'), Type.Literal('FQDN')]),
  ports: Type.Array(Type.Object({ name: PortName, protocol: Protocol, port: PortNumber }), { maxItems: 300 }),
  endpoints: Type.Array(
    Type.Object({
      addresses: Type.Array(Address, { maxItems: 100 }),
      /** `conditions.ready`: absent means ready, as the API defines it. */
      ready: Type.Boolean(),
    }),
    { maxItems: 1000 },
  ),
});
export type KubeEndpointSlice = Type.Static<typeof KubeEndpointSliceSchema>;

/** The Services and EndpointSlices a collection with a kubeconfig read. */
export const KubeServicesSchema = Type.Object({
  services: Type.Array(KubeServiceSchema, { maxItems: MAX_KUBE_SERVICES }),
  endpointSlices: Type.Array(KubeEndpointSliceSchema, { maxItems: MAX_KUBE_ENDPOINT_SLICES }),
  /** Objects left out: past the bound, or not valid (one bad object never spoils the rest). */
  skipped: Type.Integer({ minimum: 0 }),
});
export type KubeServices = Type.Static<typeof KubeServicesSchema>;
