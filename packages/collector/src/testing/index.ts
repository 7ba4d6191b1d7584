export { canBuildNetns } from './requireNetns.ts';
export { rawOutput } from './rawOutput.ts';
export { apiEndpointSlice, apiNode, apiPod, apiService, fakeApiServer } from './fakeApiServer.ts';
export {
  probeFixture,
  recordedProbeResult,
  recordedCaptures,
  attributionInput,
  type ProbeFixture,
} from './probeFixtures.ts';
export { dumpAgent, fakeAgent, minimalHost, type FakeAgent } from './fakeAgent.ts';
export { decodeRecorded, iptablesNftBothWays, type IptablesNftBothWays } from './iptablesNftOracle.ts';
