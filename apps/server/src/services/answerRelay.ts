import { createDump, type NamedHost } from '@hoplens/collector';
import type { HostInventory } from '@hoplens/model';
import type { CollectedAnswer, HostPlace } from './collectPlan.ts';

/** A host as the collection keeps it once its answer is handed on: its name and errors, and where it went. */
export interface RelayedHost extends NamedHost {
  readonly answer: number;
  readonly at: number;
  /** The errors it arrived with: other ones (a copy's) are the plan's to say. */
  readonly arrived: HostInventory['errors'];
}

/**
 * Hands each source's answer on as it arrives (collectKept's keeper) and keeps only each host's
 * name and place: 5,000 parsed inventories held until the snapshot was written cost the collection
 * worker seconds of garbage collection, and writing them out again seconds more. An answer read
 * from JSON goes on as those very bytes; hosts collected here (this machine's, failed sources) are
 * written out as a dump.
 */
export class AnswerRelay {
  private next = 0;
  private waiting: CollectedAnswer[] = [];

  /** `kept` hears that an answer waits to be taken. */
  constructor(private readonly kept: () => void) {}

  readonly keep = (hosts: HostInventory[], json?: Buffer, refused?: readonly number[]): RelayedHost[] => {
    const answer = this.next++;
    const bytes = json ?? Buffer.from(JSON.stringify(createDump(hosts)));
    this.waiting.push({ answer, json: ownBytes(bytes), ...(refused?.length ? { refused } : {}) });
    this.kept();
    return hosts.map((h, at) => ({ name: h.name, errors: h.errors, answer, at, arrived: h.errors }));
  };

  /** The answers kept since the last call, to post (their buffers transferred). */
  take(): CollectedAnswer[] {
    const out = this.waiting;
    this.waiting = [];
    return out;
  }
}

/** Where a settled host comes from, and its name and errors where settling changed them. */
export const placeOf = (h: RelayedHost): HostPlace => ({
  answer: h.answer,
  at: h.at,
  name: h.name,
  ...(h.errors === h.arrived ? {} : { errors: h.errors }),
});

/** Bytes with an ArrayBuffer of their own, to transfer: a small Buffer may sit in Node's shared pool. */
export const ownBytes = (b: Uint8Array): Uint8Array =>
  b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b : Uint8Array.from(b);
