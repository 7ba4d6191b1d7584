import type { DropSite, FreeEvent, KernelDrop, ProbePacketKind, ProbeTarget } from '@hoplens/model';
import { freeEvent } from './freeEvent.ts';
import { directionOf, type TraceEvent } from './tracefs/traceEvent.ts';

/** One of the probe's own packets, captured on a watched interface of this machine. */
export interface OwnPacket {
  readonly target: ProbeTarget;
  readonly monoNs: bigint;
  readonly direction: 'in' | 'out';
  readonly wireLength: number;
  readonly kind: ProbePacketKind;
  readonly seq: number | null;
}

export interface AttributionInput {
  /** Every event read, in any order. */
  readonly events: readonly TraceEvent[];
  readonly packets: readonly OwnPacket[];
  /** The watched interfaces of this machine, in path order. */
  readonly targets: readonly ProbeTarget[];
  /** Only frees in [startNs, endNs] (CLOCK_MONOTONIC) are considered. */
  readonly startNs: bigint;
  readonly endNs: bigint;
  /** skb->protocol of the probe's packets: 2048 (IPv4) or 34525 (IPv6). */
  readonly protocol: number;
  /** Where ping ran and its pid, when it ran on this machine. */
  readonly origin?: { readonly host: string; readonly netns: string | null; readonly pid: number };
  /** Sequence numbers ping sent, and those it got a reply for. */
  readonly sent: readonly number[];
  readonly answered: readonly number[];
  /** ARP requests watched interfaces sent during the probe: which neighbours they were resolving. */
  readonly arpRequests?: readonly ArpRequest[];
  /** The kernel's boot id: a free seen by two parts of a probe on this kernel is known as one. */
  readonly bootId?: string;
}

export interface ArpRequest {
  readonly target: ProbeTarget;
  readonly monoNs: bigint;
  readonly ip: string;
}

export interface Attribution {
  readonly drops: KernelDrop[];
  /** What could not be attributed, and why. */
  readonly notes: string[];
}

/** The capture stamps a frame where the kernel queues or hands it on; the tracepoint fires within microseconds. */
const TOLERANCE_NS = 3_000_000n;
/** neigh_timer_handler is traced right after the neighbour's queued buffers were dropped, on the same CPU. */
const NEIGH_AFTER_NS = 2_000_000n;
const NUD_FAILED = 0x20;

/**
 * Attributes `skb:kfree_skb` events to the probe. kfree_skb carries no namespace and no packet
 * contents, and the tracepoints are global: other people's packets are freed at the same time, on
 * devices with the same names. So a free is the probe's only when:
 * - `skb`: the buffer's own life (its events by address since the previous free of that address)
 *   crossed a device at the moment a captured probe packet crossed an interface of that name, in
 *   the same direction and with the same length — each captured packet vouching for the one event
 *   closest to it. The drop's namespace is the capture's.
 * - `process`: it never touched a device and was freed in ping's own task (not in an interrupt).
 * - `timing`: it never touched a device, and right after it a neighbour of a watched interface
 *   failed, and that was the only such failure on watched interface names during the probe.
 * A neighbour failing right after a free also names where the buffer waited (`neighbor` stage).
 */
export function attributeDrops(input: AttributionInput): Attribution {
  const events = [...input.events].sort((a, b) => compareNs(a.tsNs, b.tsNs));
  const claimed = claimEvents(events, input.packets);
  const answered = new Set(input.answered);
  const lostEcho = (seq: number | null): boolean =>
    seq === null ? answered.size < input.sent.length : !answered.has(seq);
  const byAddress = new Map<string, TraceEvent[]>();
  for (const e of events) if (e.skbaddr !== '') push(byAddress, e.skbaddr, e);
  const watchedNames = new Set(input.targets.map((t) => t.interface));
  const failures = events.filter(
    (e) => e.event === 'neigh_timer_handler' && e.nudState === NUD_FAILED && watchedNames.has(e.device ?? ''),
  );
  const drops: KernelDrop[] = [];
  const notes: string[] = [];
  const orphans: { free: TraceEvent; neigh: TraceEvent }[] = [];
  for (const free of events) {
    if (free.event !== 'kfree_skb' || free.tsNs < input.startNs || free.tsNs > input.endNs) continue;
    if (free.protocol !== undefined && free.protocol !== input.protocol) continue;
    const life = lifeOf(byAddress.get(free.skbaddr) ?? [], free);
    const devices = life.filter((e) => e.event === 'netif_receive_skb' || e.event === 'net_dev_queue');
    const neigh = failures.find(
      (n) => n.cpu === free.cpu && n.tsNs >= free.tsNs && n.tsNs - free.tsNs <= NEIGH_AFTER_NS,
    );
    const ours = devices.filter((e) => claimed.has(e));
    const lastOurs = ours[ours.length - 1];
    if (lastOurs) {
      const packet = claimed.get(lastOurs)!;
      const last = devices[devices.length - 1]!;
      const site = siteOf(input.targets, packet.target, lastOurs, last, neigh, notes, free);
      const vouched = last === lastOurs && site.stage !== 'neighbor';
      const event = freeEvent(input.bootId, free, last, vouched);
      drops.push(drop(free, packet.kind, packet.seq, site, 'skb', lostEcho(packet.seq), event));
    } else if (devices.length === 0 && input.origin) {
      if (free.inTask && free.pid === input.origin.pid) {
        const site: DropSite = { host: input.origin.host, netns: input.origin.netns, interface: null, stage: 'origin' };
        const seq = input.sent.length === 1 ? input.sent[0]! : null;
        const event = freeEvent(input.bootId, free, undefined, false);
        drops.push(drop(free, 'request', seq, site, 'process', lostEcho(seq), event));
      } else if (neigh) {
        orphans.push({ free, neigh });
      }
    }
  }
  attributeToNeighbour(input, orphans, failures, drops, notes, lostEcho);
  return { drops, notes };
}

/**
 * Each captured packet vouches for one device event of its interface's name, direction and length,
 * within the tolerance, and no event is vouched for twice. Per device name and direction, packets
 * and events are paired in time order (a device's frames are captured and traced in the order they
 * cross it), as many pairs as possible and, among those, the closest: in one dimension that is the
 * least total gap. A packet that merely lies nearer to the next frame's event — a request and its
 * reply crossing two interfaces named eth0 microseconds apart — no longer takes that frame's event
 * and leaves its own to nobody. Another lab's twin frame later on is left over as before.
 */
function claimEvents(events: readonly TraceEvent[], packets: readonly OwnPacket[]): Map<TraceEvent, OwnPacket> {
  const eventGroups = new Map<string, TraceEvent[]>();
  for (const e of events) {
    if (e.device === undefined || (e.event !== 'netif_receive_skb' && e.event !== 'net_dev_queue')) continue;
    push(eventGroups, `${directionOf(e)}\0${e.device}`, e);
  }
  const packetGroups = new Map<string, OwnPacket[]>();
  for (const p of packets) push(packetGroups, `${p.direction}\0${p.target.interface}`, p);
  const claimed = new Map<TraceEvent, OwnPacket>();
  for (const [key, group] of packetGroups) {
    const byTime = [...group].sort((a, b) => compareNs(a.monoNs, b.monoNs));
    const lo = byTime[0]!.monoNs - TOLERANCE_NS;
    const hi = byTime[byTime.length - 1]!.monoNs + TOLERANCE_NS;
    // Events are sorted by time already (attributeDrops sorts them): only those near a packet matter.
    const near = (eventGroups.get(key) ?? []).filter((e) => e.tsNs >= lo && e.tsNs <= hi);
    for (const [e, p] of pairInOrder(byTime, near)) claimed.set(e, p);
  }
  return claimed;
}

const compareNs = (x: bigint, y: bigint): number => (x < y ? -1 : x > y ? 1 : 0);

function push<T>(groups: Map<string, T[]>, key: string, value: T): void {
  const list = groups.get(key);
  if (list) list.push(value);
  else groups.set(key, [value]);
}

/** Above this many packet × event cells the pairing falls back to each packet's closest free event. */
const MAX_CELLS = 1_000_000;

/**
 * The order-preserving pairing of packets with events (both sorted by time) that pairs the most,
 * then with the least total gap; a pair needs a gap within the tolerance and a fitting length.
 */
function pairInOrder(packets: readonly OwnPacket[], events: readonly TraceEvent[]): [TraceEvent, OwnPacket][] {
  const n = packets.length;
  const m = events.length;
  const gapOf = (p: OwnPacket, e: TraceEvent): bigint | null => {
    if (!lengthFits(e, p)) return null;
    const gap = e.tsNs > p.monoNs ? e.tsNs - p.monoNs : p.monoNs - e.tsNs;
    return gap <= TOLERANCE_NS ? gap : null;
  };
  if (n * m > MAX_CELLS) return closestFree(packets, events, gapOf);
  const w = m + 1;
  const count = new Uint32Array((n + 1) * w);
  const cost = new Float64Array((n + 1) * w);
  // 0: skip the packet, 1: skip the event, 2: pair them (the walk back stops at either edge).
  const step = new Uint8Array((n + 1) * w);
  const better = (c1: number, k1: number, c2: number, k2: number): boolean => c1 > c2 || (c1 === c2 && k1 < k2);
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const at = i * w + j;
      let c = count[at - w]!;
      let k = cost[at - w]!;
      let s = 0;
      if (better(count[at - 1]!, cost[at - 1]!, c, k)) {
        c = count[at - 1]!;
        k = cost[at - 1]!;
        s = 1;
      }
      const gap = gapOf(packets[i - 1]!, events[j - 1]!);
      if (gap !== null) {
        const pc = count[at - w - 1]! + 1;
        const pk = cost[at - w - 1]! + Number(gap);
        if (better(pc, pk, c, k)) {
          c = pc;
          k = pk;
          s = 2;
        }
      }
      count[at] = c;
      cost[at] = k;
      step[at] = s;
    }
  }
  const pairs: [TraceEvent, OwnPacket][] = [];
  for (let i = n, j = m; i > 0 && j > 0;) {
    const s = step[i * w + j];
    if (s === 2) {
      pairs.push([events[j - 1]!, packets[i - 1]!]);
      i--;
      j--;
    } else if (s === 1) j--;
    else i--;
  }
  return pairs;
}

/** Each packet, in time order, takes the closest event no earlier packet took. */
function closestFree(
  packets: readonly OwnPacket[],
  events: readonly TraceEvent[],
  gapOf: (p: OwnPacket, e: TraceEvent) => bigint | null,
): [TraceEvent, OwnPacket][] {
  const taken = new Set<TraceEvent>();
  const pairs: [TraceEvent, OwnPacket][] = [];
  for (const p of packets) {
    let best: TraceEvent | undefined;
    let bestGap: bigint | undefined;
    for (const e of events) {
      const gap = taken.has(e) ? null : gapOf(p, e);
      if (gap !== null && (bestGap === undefined || gap < bestGap)) {
        best = e;
        bestGap = gap;
      }
    }
    if (best) {
      taken.add(best);
      pairs.push([best, p]);
    }
  }
  return pairs;
}

/** The events of one buffer's life: since the previous free of its address, up to this free. */
function lifeOf(all: readonly TraceEvent[], free: TraceEvent): TraceEvent[] {
  const end = all.indexOf(free);
  let start = end;
  while (start > 0 && all[start - 1]!.event !== 'kfree_skb' && all[start - 1]!.event !== 'consume_skb') start--;
  return all.slice(start, end);
}

/** netif_receive_skb sees the frame without its Ethernet header; net_dev_queue with it. */
function lengthFits(e: TraceEvent, p: OwnPacket): boolean {
  return e.len === undefined || e.len === p.wireLength || e.len === p.wireLength - 14;
}

/**
 * A watched interface by name, for a device no capture saw the buffer on: the only one of that
 * name, or the first of that name after `after` in path order (else the nearest before).
 */
function byName(targets: readonly ProbeTarget[], name: string, after: ProbeTarget): ProbeTarget | undefined {
  const named = targets.filter((t) => t.interface === name);
  if (named.length <= 1) return named[0];
  const from = targets.indexOf(after);
  return named.find((t) => targets.indexOf(t) > from) ?? named[named.length - 1];
}

/**
 * Where a claimed buffer was dropped: at the last device it crossed (named through the watched
 * interfaces when no capture saw it there), or at the interface whose neighbour failed.
 */
function siteOf(
  targets: readonly ProbeTarget[],
  claimedTarget: ProbeTarget,
  claimedEvent: TraceEvent,
  last: TraceEvent,
  neigh: TraceEvent | undefined,
  notes: string[],
  free: TraceEvent,
): DropSite {
  const at = (t: ProbeTarget, stage: DropSite['stage']): DropSite => ({
    host: t.host,
    netns: t.netns,
    interface: t.interface,
    stage,
  });
  const neighbour = neigh && byName(targets, neigh.device ?? '', claimedTarget);
  if (neighbour) return at(neighbour, 'neighbor');
  if (last === claimedEvent) return at(claimedTarget, directionOf(last) === 'in' ? 'receive' : 'transmit');
  const named = byName(targets, last.device ?? '', claimedTarget);
  if (named) return at(named, directionOf(last) === 'in' ? 'receive' : 'transmit');
  notes.push(
    `a probe packet freed at ${free.location ?? '?'} had crossed ${last.device ?? '?'} after ${claimedTarget.interface}, an interface not watched`,
  );
  return at(claimedTarget, directionOf(claimedEvent) === 'in' ? 'receive' : 'transmit');
}

function drop(
  free: TraceEvent,
  packet: ProbePacketKind,
  seq: number | null,
  site: DropSite,
  attribution: KernelDrop['attribution'],
  lostEcho: boolean,
  event: FreeEvent,
): KernelDrop {
  return {
    reason: free.reason ?? 'unknown (this kernel gives no drop reasons)',
    reasonCode: free.reasonCode ?? -1,
    location: free.location ?? '?',
    packet,
    seq,
    site,
    attribution,
    lostEcho,
    free: event,
  };
}

/** A fragmented echo is two pieces or a few: more orphans than this per lost echo are someone else's. */
const PIECES_PER_ECHO = 2;
/** A neighbour gives up one retransmit interval (1 s by default) after its last ARP request. */
const GIVE_UP_NS = 3_000_000_000n;

/**
 * Buffers that never touched a watched device and were dropped because a neighbour failed: a
 * request queued on an unanswered ARP at the origin, or the pieces of one fragmented on its way
 * (new buffers, with no history to follow). They count as the probe's only for echoes lost
 * without any other explanation, at most a few per such echo, and only for the neighbour failure
 * that is the probe's own: the first failure, after a watched interface last asked for that very
 * address (captured ARP requests: the address and the namespace), of a neighbour of that
 * interface's name and address. Without such requests on an interface of its name (a device with
 * no carrier sends none), only when it is the one failure on watched interface names during the
 * probe. Otherwise none.
 */
function attributeToNeighbour(
  input: AttributionInput,
  orphans: readonly { free: TraceEvent; neigh: TraceEvent }[],
  failures: readonly TraceEvent[],
  drops: KernelDrop[],
  notes: string[],
  lostEcho: (seq: number | null) => boolean,
): void {
  const lost = input.sent.filter((s) => !input.answered.includes(s));
  const explained = drops.filter((d) => d.lostEcho);
  if (explained.some((d) => d.seq === null)) return;
  const unexplained = lost.filter((s) => !explained.some((d) => d.seq === s));
  // IPv4 frees a failed neighbour's queue as NEIGH_FAILED; IPv6's ndisc_error_report frees it with
  // a plain kfree_skb (NOT_SPECIFIED), from neigh_invalidate all the same.
  const candidates = orphans.filter(
    (o) => o.free.reason?.startsWith('NEIGH_') || o.free.location?.startsWith('neigh_invalidate'),
  );
  if (unexplained.length === 0 || candidates.length === 0) return;
  const inWindow = failures.filter((f) => f.tsNs >= input.startNs && f.tsNs <= input.endNs + NEIGH_AFTER_NS);
  const own = ownFailures(inWindow, input.arpRequests ?? []);
  let mine: Map<TraceEvent, ProbeTarget>;
  if (own.size > 0) {
    mine = own;
  } else if (inWindow.length === 1 && !askedOn(input.arpRequests ?? [], inWindow[0]!.device)) {
    const target = byName(input.targets, inWindow[0]!.device ?? '', input.targets[0]!);
    mine = new Map(target ? [[inWindow[0]!, target]] : []);
  } else {
    const devices = [...new Set(inWindow.map((f) => f.device))].join(', ');
    notes.push(
      `${inWindow.length} neighbours of interfaces named ${devices} failed on this machine during the probe, none of them after an ARP request or neighbour solicitation the probe saw: the buffers they dropped are not attributed`,
    );
    return;
  }
  const ours = candidates.filter((o) => mine.has(o.neigh));
  for (const { free, neigh } of ours.slice(0, PIECES_PER_ECHO * unexplained.length)) {
    const t = mine.get(neigh)!;
    const site: DropSite = { host: t.host, netns: t.netns, interface: t.interface, stage: 'neighbor' };
    const seq = unexplained.length === 1 ? unexplained[0]! : null;
    // What waited there is the reply when that very interface took the request in: the namespace
    // answered it and asked for the way back.
    const answered = input.packets.some(
      (p) => p.kind === 'request' && p.direction === 'in' && sameTarget(p.target, t) && (seq === null || p.seq === seq),
    );
    const event = freeEvent(input.bootId, free, undefined, false);
    drops.push(drop(free, answered ? 'reply' : 'request', seq, site, 'timing', lostEcho(seq), event));
  }
}

const sameTarget = (a: ProbeTarget, b: ProbeTarget): boolean =>
  a.host === b.host && a.netns === b.netns && a.interface === b.interface;

/**
 * Whether a watched interface of that name asked for a neighbour during the probe: then a failure
 * there is the probe's only through those requests (`ownFailures`), and a lone failure on a device
 * of the same name that none of them explains is another lab's.
 */
function askedOn(arp: readonly ArpRequest[], device: string | undefined): boolean {
  return arp.some((r) => r.target.interface === device);
}

/** Per interface and address the probe saw ARP for: the first failure of that neighbour after the last request. */
function ownFailures(failures: readonly TraceEvent[], arp: readonly ArpRequest[]): Map<TraceEvent, ProbeTarget> {
  const last = new Map<string, ArpRequest>();
  for (const r of arp) {
    const key = `${r.target.host}\0${r.target.netns ?? ''}\0${r.target.interface}\0${r.ip}`;
    const prev = last.get(key);
    if (!prev || r.monoNs > prev.monoNs) last.set(key, r);
  }
  const out = new Map<TraceEvent, ProbeTarget>();
  for (const r of last.values()) {
    // An IPv6 neighbour's key cannot be printed by the trace: its table's family and device stand in.
    const sameNeighbor = (f: TraceEvent): boolean =>
      f.neighbor === r.ip || (f.neighbor === undefined && f.family === 10 && r.ip.includes(':'));
    const first = failures.find(
      (f) => f.device === r.target.interface && sameNeighbor(f) && f.tsNs > r.monoNs && f.tsNs - r.monoNs <= GIVE_UP_NS,
    );
    if (first) out.set(first, r.target);
  }
  return out;
}
