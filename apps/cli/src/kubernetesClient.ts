/**
 * The Kubernetes client's part the collector loads on demand (kubernetesPods), as a file of its
 * own in the built CLI: the lean `collect` bundle imports it from there (see scripts/build.ts).
 */
export { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
