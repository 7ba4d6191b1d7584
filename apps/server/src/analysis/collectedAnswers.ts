import { createSnapshot } from '@hoplens/collector';
import {
  checkSnapshotLimits,
  readDump,
  readSnapshot,
  SnapshotLimitCount,
  SnapshotLimitError,
  type HostInventory,
  type Snapshot,
} from '@hoplens/model';
import type { CollectedAnswer, CollectPlan } from '../services/collectPlan.ts';
import { ServiceError } from '../services/serviceError.ts';
import { cutHost, type HostCut } from '../store/snapshotParts.ts';

/**
 * A running collection's answers, read as they arrive (the collection worker checked each already;
 * they are read again here, where they are kept, from the very bytes it checked), each host cut
 * into its stored part meanwhile too, and made into the snapshot once its plan comes: after the
 * last agent has answered, only what needs every host is left to do.
 *
 * What one snapshot may hold (SNAPSHOT_LIMITS) is counted over the answers as they come, without
 * the hosts a bound agent may not report (they cannot be in the snapshot): once past a limit, what
 * was read is dropped and the collection is refused (413) without reading more — a safety net, as
 * the collection worker fails alone an answer that does not fit (SnapshotRoom). A collection whose
 * first answers never came (this worker started again during the run: `lost`) reads nothing and
 * asks for another one (503).
 */
export class CollectedAnswers {
  private readonly read = new Map<number, HostInventory[] | Error>();
  /** Each host's cut as it arrived; a host the plan renames is another object, cut again. */
  private readonly cuts = new WeakMap<HostInventory, HostCut>();
  private readonly count = new SnapshotLimitCount();
  /** Why no snapshot will be made of these answers, once that is known. */
  private refused: Error | undefined;

  /** Why no snapshot will be made of these answers, once that is known: the run can stop asking. */
  get refusal(): Error | undefined {
    return this.refused;
  }
  /** JSON bytes read so far: what the analysis will need is estimated from them. */
  bytes = 0;

  constructor(lost = false) {
    if (lost)
      this.refused = new ServiceError(
        503,
        'the collection’s first answers never reached the analysis (it started again meanwhile): collect again',
      );
  }

  add(answers: readonly CollectedAnswer[]): void {
    for (const { answer, json, refused } of answers) {
      if (this.refused) return;
      this.bytes += json.byteLength;
      let value: unknown;
      const out = new Set(refused);
      try {
        value = JSON.parse(Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString('utf8'));
        this.count.add(out.size === 0 ? value : withoutHosts(value, out));
      } catch (e) {
        if (!(e instanceof SnapshotLimitError)) {
          this.read.set(answer, e as Error);
          continue;
        }
        this.refused = e;
        this.read.clear();
        return;
      }
      try {
        const hosts = readDump(value).hosts;
        hosts.forEach((host, at) => {
          if (!out.has(at)) this.cuts.set(host, cutHost(host));
        });
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
    if (this.refused) throw this.refused;
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

/** A dump's JSON without its hosts at positions `out`: what of it counts toward the snapshot's limits. */
function withoutHosts(value: unknown, out: ReadonlySet<number>): unknown {
  const hosts = (value as { hosts?: unknown } | null)?.hosts;
  if (!Array.isArray(hosts)) return value; // the schema says what is wrong with it
  return { ...(value as object), hosts: hosts.filter((_, at) => !out.has(at)) };
}
