export { canBuildNetns } from './requireNetns.ts';
export { rawOutput } from './rawOutput.ts';
export { apiPod, fakeApiServer } from './fakeApiServer.ts';
