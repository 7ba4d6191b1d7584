export { canBuildNetns } from './requireNetns.ts';
export { rawOutput } from './rawOutput.ts';
