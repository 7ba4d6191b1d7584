export { collectLocal, type CollectBackend, type CollectOptions, type CollectProgress } from './collectLocal.ts';
export { helperBinary } from './netlink/helperBinary.ts';
export { discardHelper, type StartedHelper } from './netlink/startHelper.ts';
export { createDump, createSnapshot, newSnapshotId } from './createSnapshot.ts';
export { runCommand, CommandError } from './runCommand.ts';
export { ParseError } from './parse/parseError.ts';
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
  collectKept,
  collectSources,
  sourceLabel,
  type CollectSourcesOptions,
  type HostKeeper,
  type SourceProgress,
} from './sources/collectSources.ts';
export type { NamedHost } from './sources/hostClaims.ts';
export { snapshotName } from './sources/snapshotName.ts';
export {
  fetchAgent,
  AGENT_INVENTORY_PATH,
  AGENT_OFPROTO_TRACE_PATH,
  DEFAULT_AGENT_TIMEOUT_MS,
} from './sources/fetchAgent.ts';
export { askOvsLocal } from './ovs/askOvsLocal.ts';
export { askSourcesOvs } from './sources/askSourcesOvs.ts';
export { DEFAULT_OVS_DB_SOCKET } from './ovs/vswitchdControl.ts';
export { kubernetesNodes, kubernetesPods, DEFAULT_KUBERNETES_TIMEOUT_MS } from './kubernetes/kubernetesPods.ts';
export { kubernetesServices } from './kubernetes/kubernetesServices.ts';
export { observeProbe, assertProbeRoot, type ObserveOptions, type ProbeRecording } from './probe/observeProbe.ts';
export { ProbeInputError, netnsFileOf } from './probe/resolvedTarget.ts';
export { onExit } from './probe/exitCleanup.ts';
export { nativeHelper } from './netlink/helperBinary.ts';
export { probePcapng } from './probe/pcapng.ts';
export { finishProbe } from './probe/finishProbe.ts';
export { newProbeMark, newProbeId } from './probe/probeMark.ts';
export { probeLocally, type LocalProbe } from './probe/probeLocally.ts';
export { snapshotHostMap } from './probe/snapshotHostMap.ts';
export { lockProbe, ProbeBusyError } from './probe/probeLock.ts';
export { agentProbeInfo, probeAgent } from './sources/probeAgent.ts';
export { assetUrl } from './assetUrl.ts';
