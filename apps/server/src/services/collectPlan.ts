import type { HostInventory, KubePod, KubeServices } from '@hoplens/model';

/**
 * One source's answer as a collection hands it to the analysis worker the moment it arrives: the
 * JSON of a dump (`readDump` reads it: an agent's answer or a dump file as read, or the hosts
 * written out), numbered in order of arrival. The analysis worker reads it while the rest arrive.
 */
export interface CollectedAnswer {
  readonly answer: number;
  readonly json: Uint8Array;
  /**
   * Its hosts (by position) that cannot be in the snapshot (a bound agent's others): not counted
   * toward the snapshot's limits nor cut (read still, as the whole answer is checked).
   */
  readonly refused?: readonly number[];
}

/**
 * Where a snapshot's host comes from: host `at` of answer `answer`, under `name` (settled between
 * sources: hostClaims may rename it) and, where given, with `errors` instead of its own (an agent's
 * refused hosts, a name two sources claim).
 */
export interface HostPlace {
  readonly answer: number;
  readonly at: number;
  readonly name: string;
  readonly errors?: HostInventory['errors'];
}

/** What a collection's snapshot is made of once every source has answered or failed. */
export interface CollectPlan {
  /** The snapshot's `source`. */
  readonly source: string;
  /** Its hosts, in order. */
  readonly hosts: readonly HostPlace[];
  /** The Kubernetes API's pods and Services, where it was asked and answered. */
  readonly pods?: readonly KubePod[];
  readonly services?: KubeServices;
}
