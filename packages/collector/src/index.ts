export { collectLocal, type CollectBackend, type CollectOptions, type CollectProgress } from './collectLocal.ts';
export { helperBinary } from './netlink/helperBinary.ts';
export { createDump, createSnapshot, newSnapshotId } from './createSnapshot.ts';
export { runCommand, CommandError } from './runCommand.ts';
export { ParseError } from './parse/ipJson.ts';
export { parseLinks } from './parse/parseLinks.ts';
export { parseAddresses } from './parse/parseAddresses.ts';
export { parseRoutes } from './parse/parseRoutes.ts';
export { parseNeighbors } from './parse/parseNeighbors.ts';
export { parseTcFilters, parseTcQdiscs } from './parse/parseTc.ts';
export { localHostMap } from './localHostMap.ts';
export { parseFdb } from './parse/parseFdb.ts';
export { parsePeerPodConfig } from './parse/parsePeerPodConfig.ts';
export { withPeerPodIntent, DEFAULT_PEERPOD_CONFIG } from './readPeerPodIntent.ts';
export {
  collectSources,
  sourceLabel,
  type CollectSourcesOptions,
  type SourceProgress,
} from './sources/collectSources.ts';
export { fetchAgent, AGENT_INVENTORY_PATH, DEFAULT_AGENT_TIMEOUT_MS } from './sources/fetchAgent.ts';
export { kubernetesNodes, kubernetesPods, DEFAULT_KUBERNETES_TIMEOUT_MS } from './kubernetes/kubernetesPods.ts';
export { assetUrl } from './assetUrl.ts';
