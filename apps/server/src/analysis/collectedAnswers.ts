import { createSnapshot } from '@hoplens/collector';
import { checkSnapshotLimits, readDump, readSnapshot, type HostInventory, type Snapshot } from '@hoplens/model';
import type { CollectedAnswer, CollectPlan } from '../services/collectPlan.ts';
import { ServiceError } from '../services/serviceError.ts';

/**
 * A running collection's answers, read as they arrive (the collection worker checked each already;
 * they are read again here, where they are kept, from the very bytes it checked), and made into the
 * snapshot once its plan comes: what used to be one document of every host, written out by the
 * collection worker and parsed again here after the last agent answered.
 */
export class CollectedAnswers {
  private readonly read = new Map<number, HostInventory[] | Error>();
  /** JSON bytes read so far: what the analysis will need is estimated from them. */
  bytes = 0;

  add(answers: readonly CollectedAnswer[]): void {
    for (const { answer, json } of answers) {
      this.bytes += json.byteLength;
      try {
        const text = Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString('utf8');
        this.read.set(answer, readDump(JSON.parse(text)).hosts);
      } catch (e) {
        this.read.set(answer, e as Error);
      }
    }
  }

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
      if (!host) throw new Error(`the collection's plan names host ${at} of answer ${answer}, which it never sent`);
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
