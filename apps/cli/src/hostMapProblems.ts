import { HostMapSchema, type HostMap } from '@hoplens/model';
import { checkedConfig } from './readConfig.ts';

/**
 * A host map the compiled check refused, checked by validate() as readConfig checks one: the usage
 * error names its problems. (The built `collect` loads this file only then: see readHostMap.)
 */
export function hostMapProblems(file: string, value: unknown): HostMap {
  return checkedConfig(file, 'host map', HostMapSchema, value);
}
