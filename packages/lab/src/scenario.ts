import type { HostMap, NetnsRef } from '@hoplens/model';

/** A flow the scenario expects to work or fail, checked by trace and by a real ping. */
export interface Flow {
  readonly from: NetnsRef;
  readonly to: string;
  /** The namespace name to run ping in (the host map's root or netns name). */
  readonly pingNetns: string;
}

/** What building a scenario takes: namespaces, commands in order (argv arrays), and what it yields. */
export interface LabPlan {
  readonly scenario: string;
  readonly variant: string;
  readonly prefix: string;
  readonly namespaces: readonly string[];
  readonly commands: readonly (readonly string[])[];
  readonly hostMap: HostMap;
  readonly flows: readonly Flow[];
}

export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly variants: readonly string[];
  readonly plan: (prefix: string, variant: string) => LabPlan;
}
