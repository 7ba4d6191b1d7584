/**
 * What `collect --kubeconfig` asks the Kubernetes API for, in a module of its own: their replies are
 * checked with TypeBox, which the built collect.cjs loads only then, from this file as the split
 * build writes it (scripts/build.ts, CHECKED_LATE).
 */
export { kubernetesPods, kubernetesServices } from '@hoplens/collector';
