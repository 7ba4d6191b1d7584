import type { L4Server } from '../scenario.ts';
import type { Place, Rand } from './place.ts';

/**
 * One random change to a healthy lab, as an operator's mistake or a buggy agent would make it: the
 * commands that make it (argv, never a shell) and a label that says what it did.
 */
export interface Mutation {
  readonly label: string;
  readonly commands: readonly (readonly string[])[];
}

/** What a change may need of the lab beyond its namespaces: its files' prefix, its servers. */
export interface FuzzLab {
  readonly prefix: string;
  readonly servers: readonly L4Server[];
}

/**
 * A kind of change, as a function of the collected lab and the dice: undefined where the lab has
 * nothing it applies to (no bridge port to detach, no server to stop).
 */
export type MutationKind = (places: readonly Place[], rand: Rand, lab: FuzzLab) => Mutation | undefined;
