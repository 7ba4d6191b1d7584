import type { HostInventory } from '@hoplens/model';
import { withErrors } from './hostErrors.ts';

/** What settling names needs of a host: its name, and its errors to add to. */
export type NamedHost = Pick<HostInventory, 'name' | 'errors'>;

/** A host as one source reported it, and whether that source is bound to the name (it may claim it). */
export interface Claim<H extends NamedHost = HostInventory> {
  readonly host: H;
  readonly source: string;
  readonly bound: boolean;
}

/**
 * Settles host names between sources: graph ids are keyed by host name, so each name is one host.
 * A name claimed once keeps its host. Claimed by several: a bound claimant (a local host map, a
 * dump, an agent with `hosts`, a node's own agent) keeps the name and the others become NAME.2, …
 * (the first such name no host has) with a notice; with no bound claimant hoplens cannot tell
 * which is genuine, so every claimant says so, the first keeping the name. An agent listed first
 * can then no longer quietly push the genuine host aside.
 */
export function hostClaims<H extends NamedHost>(claims: readonly Claim<H>[]): H[] {
  const byName = new Map<string, Claim<H>[]>();
  for (const c of claims) {
    const list = byName.get(c.host.name);
    if (list) list.push(c);
    else byName.set(c.host.name, [c]);
  }
  const out = new Map<Claim<H>, H>();
  // Every name in use, so that a rename never lands on another host's (`w` twice beside a `w.2`).
  const taken = new Set(byName.keys());
  const freeName = (name: string): string => {
    let n = 2;
    while (taken.has(`${name}.${n}`)) n++;
    const free = `${name}.${n}`;
    taken.add(free);
    return free;
  };
  for (const [name, list] of byName) {
    if (list.length === 1) {
      out.set(list[0]!, list[0]!.host);
      continue;
    }
    const owner = list.find((c) => c.bound);
    const winner = owner ?? list[0]!;
    const sources = list.map((c) => c.source).join(' and ');
    for (const c of list) {
      const renamed = c === winner ? name : freeName(name);
      const message =
        owner === undefined
          ? `host name ${name} is reported by ${sources}: hoplens cannot tell which is genuine` +
            `${c === winner ? '' : ` (this one kept as ${renamed})`}; bind each agent to its hosts with "hosts"`
          : c === winner
            ? undefined
            : `${c.source} also reported host ${name}, which ${owner.source} owns: kept as ${renamed}`;
      out.set(c, {
        ...c.host,
        name: renamed,
        errors: message === undefined ? c.host.errors : withErrors(c.host.errors, [{ message, notice: true }]),
      });
    }
  }
  return claims.map((c) => out.get(c)!);
}
