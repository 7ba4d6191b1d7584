import type { LinkEntry } from '../topology/snapshotIndex.ts';

/**
 * A neighbour entry a namespace made while answering a request for one of its addresses (or one it
 * proxies): `arp_process` calls `neigh_event_ns` for the sender's IP and MAC (no `arp_accept`
 * needed), `ndisc_recv_ns` does the same for a solicitation that carries a source link-layer
 * address option. The entry is STALE, on the device the request came in by.
 */
export interface LearntNeighbor {
  /** The device the request arrived on, where the entry lives. */
  readonly at: LinkEntry;
  /** The requester's IP (the ARP sender address, the solicitation's source). */
  readonly ip: string;
  /** The requester's MAC (the ARP sender hardware address, the solicitation's lladdr option). */
  readonly mac: string;
  /** What the request asked for, for the hop's text. */
  readonly asked: string;
  readonly protocol: 'ARP' | 'neighbour discovery';
}

/**
 * The neighbour entries one trace's own requests made on the way, for its reply to find: `ping`'s
 * reply goes out after the request's ARP or solicitation reached its target, so the target resolves
 * the requester from the entry that request left, not by a broadcast of its own. Kept per trace run
 * (never for the snapshot: the request made them, the collection did not see them).
 */
export class LearntNeighbors {
  private readonly entries = new Map<string, LearntNeighbor>();

  /** Records entries a request made; a later request's entry replaces an earlier one (OVERRIDE). */
  learn(entries: readonly LearntNeighbor[]): void {
    for (const e of entries) this.entries.set(`${e.at.id}|${e.ip}`, e);
  }

  /** The entry a request of this trace made for `ip` on `at`, if any. */
  get(at: LinkEntry, ip: string): LearntNeighbor | undefined {
    return this.entries.get(`${at.id}|${ip}`);
  }
}
