import { createSnapshot } from '@hoplens/collector';
import { checkSnapshotLimits, readDump, readSnapshot, type HostInventory, type Snapshot } from '@hoplens/model';
import type { CollectedAnswer, CollectPlan } from '../services/collectPlan.ts';
import { ServiceError } from '../services/serviceError.ts';
import { cutHost, type HostCut } from '../store/snapshotParts.ts';

/**
 * A running collection's answers, read as they arrive (the collection worker checked each already;
 * they are read again here, where they are kept, from the very bytes it checked), each host cut
 * into its stored part meanwhile too, and made into the snapshot once its plan comes: what used to
 * be one document of every host, written out by the collection worker, parsed again here and cut
 * into parts after the last agent answered.
 */
export class CollectedAnswers {
  private readonly read = new Map<number, HostInventory[] | Error>();
  /** Each host's cut as it arrived; a host the plan renames is another object, cut again. */
  private readonly cuts = new WeakMap<HostInventory, HostCut>();
  /** JSON bytes read so far: what the analysis will need is estimated from them. */
  bytes = 0;

  add(answers: readonly CollectedAnswer[]): void {
    for (const { answer, json } of answers) {
      this.bytes += json.byteLength;
      try {
        const text = Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString('utf8');
        const hosts = readDump(JSON.parse(text)).hosts;
        for (const host of hosts) this.cuts.set(host, cutHost(host));
        this.read.set(answer, hosts);
      } catch (e) {
        this.read.set(answer, e as Error);
      }
    }
  }

  /** A host's cut: made as it arrived, or now (splitSnapshot's `cut`). */
  readonly cut = (host: HostInventory): HostCut => this.cuts.get(host) ?? cutHost(host);

  /**
   * The snapshot `plan` (a CollectPlan's JSON) makes of the answers: checked as an import is, its
   * limits first (413), then its whole schema (422), at `now`.
   */
  snapshot(planJson: Uint8Array, now: number): Snapshot {
    const text = Buffer.from(planJson.buffer, planJson.byteOffset, planJson.byteLength).toString('utf8');
    // Written by this server's collection worker (collectWorker.ts), not by a host.
    const { source, hosts: places, pods, services } = JSON.parse(text) as CollectPlan;
    const hosts = places.map(({ answer, at, name, errors }): HostInventory => {
      const read = this.read.get(answer);
      if (read instanceof Error) throw new ServiceError(422, `collected answer ${answer}: ${read.message}`);
      const host = read?.[at];
      // Handed over but not here: this worker started again during the collection (out of memory).
      if (!host)
        throw new ServiceError(503, `answer ${answer} of the collection never reached the analysis: collect again`);
      return host.name === name && errors === undefined ? host : { ...host, name, errors: errors ?? host.errors };
    });
    this.read.clear();
    const snapshot = createSnapshot(hosts, source, pods, services);
    checkSnapshotLimits(snapshot);
    try {
      return readSnapshot(snapshot, { now });
    } catch (e) {
      throw new ServiceError(422, (e as Error).message);
    }
  }
}
