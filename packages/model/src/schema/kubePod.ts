import Type from 'typebox';

/** What Kubernetes says of a pod, as far as hoplens needs it. */
export const KubePodSchema = Type.Object({
  name: Type.String({ minLength: 1 }),
  namespace: Type.String({ minLength: 1 }),
  ips: Type.Array(Type.String()),
  node: Type.Optional(Type.String()),
  /** Pods on the host network have the node's addresses, not a namespace of their own. */
  hostNetwork: Type.Boolean(),
});
export type KubePod = Type.Static<typeof KubePodSchema>;
