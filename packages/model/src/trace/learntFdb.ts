import type { LinkEntry } from '../topology/snapshotIndex.ts';

/** Where a bridge learnt a MAC from a frame of this trace: the port it came in by. */
export interface FdbLearning {
  readonly bridge: LinkEntry;
  /** The VLAN the entry is kept in (a VLAN-filtering bridge's); absent for VLAN 0. */
  readonly vlan: number | undefined;
  readonly mac: string;
  readonly port: LinkEntry;
}

/**
 * The bridge fdb entries one trace's own frames made (`br_fdb_update` from `br_handle_frame_finish`:
 * every frame in by a learning port teaches the bridge its source MAC). The kernel moves any entry
 * a frame contradicts — a learnt one and a user's `static` or `dynamic` one alike — but a `sticky`
 * one and the bridge's own (local, permanent) addresses, which stay where they are. So an fdb entry
 * left behind the wrong port (a pod recreated, a MAC reused) is corrected by the ARP answer that
 * precedes the ping, and the ping follows the answer, not the collected entry. Kept per trace run,
 * never for the snapshot; a silent question asked on the way (ARP) reads its parent's entries and
 * keeps its own until they are taken over (see `child`, `own`).
 */
export class LearntFdb {
  private readonly entries = new Map<string, FdbLearning>();

  constructor(private readonly parent?: LearntFdb) {}

  /** A run for a question asked on the way: it sees this run's entries, and records its own apart. */
  child(): LearntFdb {
    return new LearntFdb(this);
  }

  /** Whether any frame of this run (or the runs it was asked from) taught a bridge anything. */
  get empty(): boolean {
    return this.entries.size === 0 && (this.parent?.empty ?? true);
  }

  /** The entries this run made itself, not its parent's. */
  own(): readonly FdbLearning[] {
    return [...this.entries.values()];
  }

  /**
   * A frame from `mac` came in by `port` of `bridge`: the bridge learns it there, unless the
   * collected fdb pins the MAC (sticky, or the bridge's own address).
   */
  learn(e: FdbLearning): void {
    if (pinned(e.bridge, e.mac, e.vlan)) return;
    this.entries.set(key(e.bridge, e.mac, e.vlan), e);
  }

  /** Takes over entries a question's run made (its frames were sent for real). */
  learnAll(entries: readonly FdbLearning[]): void {
    for (const e of entries) this.learn(e);
  }

  /** The port a frame of this trace taught `bridge` for `mac`, if one did. */
  portFor(bridge: LinkEntry, mac: string, vlan: number | undefined): LinkEntry | undefined {
    return this.entries.get(key(bridge, mac, vlan))?.port ?? this.parent?.portFor(bridge, mac, vlan);
  }
}

const key = (bridge: LinkEntry, mac: string, vlan: number | undefined): string =>
  `${bridge.id}|${vlan ?? 0}|${mac.toLowerCase()}`;

/** A collected entry learning never moves: `sticky`, or local to the bridge (`permanent`). */
function pinned(bridge: LinkEntry, mac: string, vlan: number | undefined): boolean {
  return pinnedOf(bridge).has(pinKey(mac, vlan));
}

const pinKey = (mac: string, vlan: number | undefined): string => `${String(vlan)}|${mac.toLowerCase()}`;

/**
 * Each bridge's pinned entries, read once per bridge (its namespace's fdb can hold an entry per
 * port of a dense node, and every frame into the bridge asks).
 */
const pinnedByBridge = new WeakMap<LinkEntry, ReadonlySet<string>>();
function pinnedOf(bridge: LinkEntry): ReadonlySet<string> {
  let set = pinnedByBridge.get(bridge);
  if (!set) {
    set = new Set(
      (bridge.netns.ns.fdb ?? [])
        .filter((e) => e.master === bridge.link.name && (e.state === 'permanent' || e.flags.includes('sticky')))
        .map((e) => pinKey(e.mac, e.vlan)),
    );
    pinnedByBridge.set(bridge, set);
  }
  return set;
}
