export type { Flow, LabPlan, Scenario } from './scenario.ts';
export { probeProblems, probeColumns } from './probeAgreement.ts';
export { probeInParts, type PartsProbe } from './probeInParts.ts';
export { SCENARIOS } from './scenarios/index.ts';
export { SEED_BROKEN_VM_MAC, SEED_GATEWAY_IP, SEED_POD_IP, SEED_POD_MAC } from './scenarios/seed.ts';
export { OVN_MP0 } from './scenarios/ovnSeed.ts';
export { labUp, planLab, assertRoot, type LabUpOptions } from './labUp.ts';
export { labDown } from './labDown.ts';
export { LabError } from './labError.ts';
export { newLabPrefix, isLabPrefix } from './prefix.ts';
export { ping } from './ping.ts';
export { renderCoverage } from './coverage/renderCoverage.ts';
export { DROP_COVERAGE, SEND_ERRORS, WITHOUT_A_REASON, type Coverage } from './coverage/dropCoverage.ts';
export {
  generateCluster,
  type SyntheticCluster,
  type SyntheticOptions,
  type InjectedFault,
} from './synthetic/generateCluster.ts';
export { mulberry32 } from './synthetic/random.ts';
export { serveFleet, type Fleet, type FleetAgent, type FleetOptions } from './fleet/serveFleet.ts';
export { fleetAddress, MAX_FLEET_AGENTS } from './fleet/fleetAddress.ts';
