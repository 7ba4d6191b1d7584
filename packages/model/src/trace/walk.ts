import { netnsId } from '../ids.ts';
import type { OvsAnswers } from '../ovs/ovsAnswers.ts';
import type { ListeningSocket } from '../schema/sockets.ts';
import type { Component, Hop, HopOpenFlow, HopRule } from '../schema/trace.ts';
import type { LinkEntry, NetnsEntry, SnapshotIndex } from '../topology/snapshotIndex.ts';
import { Chooser } from './chooser.ts';
import { Conntrack } from './conntrack.ts';
import { hookMemoOf, type HookMemo } from './hookMemo.ts';
import { LearntFdb } from './learntFdb.ts';
import type { LearntNeighbor, LearntNeighbors } from './learntNeighbors.ts';
import type { Outcome } from './outcome.ts';
import type { ArpRefusal } from './stages/arp.ts';
import type { Frame, IpPacket } from './packet.ts';
import { ipOutput } from './stages/ipOutput.ts';
import { receive } from './stages/receive.ts';
import { transmit } from './stages/transmit.ts';

/** Device steps along one path: past this, the path loops. */
const MAX_STEPS = 64;
/** Device steps in one walk, all copies of a flood together: past this, it is too big to follow. */
export const MAX_WORK = 4096;

/** One step of a walk as it is recorded: where, which stage, and what happened there. */
export interface HopSpec {
  readonly ns: NetnsEntry;
  /** The interface it happens at; absent for a namespace-wide step (routing, local delivery). */
  readonly link?: LinkEntry | undefined;
  readonly component: Component;
  readonly action: Hop['action'];
  readonly verdict: Hop['verdict'];
  readonly reason: string;
  readonly fix?: string | undefined;
  readonly openflow?: HopOpenFlow | undefined;
  /** The filter rule that decided this hop. */
  readonly rule?: HopRule | undefined;
  /** The kernel's name for the drop this hop predicts (see Hop.dropReason). */
  readonly dropReason?: string | undefined;
}

/** The hop where a walk stops. */
export type StopSpec = Omit<HopSpec, 'action' | 'verdict'> & { readonly verdict: 'dropped' | 'unknown' };

/**
 * What one run of a trace carries besides conntrack: the random choices (kube-proxy's endpoint
 * pick) and which way this run takes, and the hook evaluations shared by every run over the
 * snapshot (one per endpoint, and the next trace's).
 */
export interface RunState {
  readonly chooser: Chooser;
  readonly hookMemo: HookMemo;
  /** The neighbour entries this run's requests made, for its reply (absent: none are kept). */
  readonly neighbors?: LearntNeighbors;
  /** The bridge fdb entries this run's frames taught (absent: none are kept). */
  readonly fdb?: LearntFdb;
  /**
   * Senders a router forwarded a packet of back out of the device it came in on, with the next hop
   * it took (see stages/ipForward, redirected): each may have been sent an ICMP redirect to it.
   */
  readonly redirects?: Map<string, string>;
  /**
   * The namespace whose socket sent the request (absent for walks that are no round trip): its
   * reply is taken there only. Another namespace holding the same address (a peer pod's IP on the
   * worker and in the pod VM) has no socket waiting for it.
   */
  readonly origin?: NetnsEntry;
}

/**
 * One walk of a packet through a snapshot, in one direction: the hops it records and the state the
 * kernel's stages share (steps taken, the last interface that received the frame). The stages
 * themselves live in ./stages, one module per place in the kernel's path; they call each other
 * through the walk's three entry points: a namespace sends an IP packet (`ipOutput`), a device
 * transmits a frame (`transmit`), a device receives one (`receive`). A silent walk records nothing
 * (ARP resolution, and rules that only need where a frame ends up).
 */
export class Walk {
  readonly hops: Hop[] = [];
  /** Device steps along the current path (a flooded copy starts from the count of the flood). */
  private steps = 0;
  /** Device steps of the whole walk. */
  private work = 0;
  /** The interface whose receive check the frame met last. */
  lastReceiver: LinkEntry | undefined;
  /** The hop where this walk stopped last (kept by silent walks too, for the hop that asked them). */
  lastStop: HopSpec | undefined;
  /** How a failed neighbor resolution ends the walk: dropped, or unknown where it cannot be told. */
  neighborFailure: 'dropped' | 'unknown' = 'dropped';
  /** Why an ARP request went unanswered, where a namespace that could have answered refused (first one). */
  arpRefusal: ArpRefusal | undefined;
  /** Neighbour entries the namespaces that answered this walk's ARP request or solicitation made. */
  learnt: LearntNeighbor[] | undefined;

  constructor(
    readonly index: SnapshotIndex,
    readonly direction: Hop['direction'],
    readonly silent = false,
    /** Connection tracking of every namespace, shared by a trace's request and reply walks. */
    readonly conntrack: Conntrack = new Conntrack(),
    /** ofproto/trace answers beyond the snapshot's, and where unanswered questions are noted. */
    readonly ovsAnswers?: OvsAnswers,
    /** The random choices this run takes, and the hook evaluations a trace's runs share. */
    readonly run: RunState = { chooser: new Chooser(), hookMemo: hookMemoOf(index) },
  ) {}

  /** Sends an IP packet from a namespace's stack (see stages/ipOutput). */
  ipOutput(ns: NetnsEntry, pkt: IpPacket): Outcome {
    return ipOutput(this, ns, pkt);
  }

  /** A frame leaves through an interface (see stages/transmit). */
  transmit(le: LinkEntry, frame: Frame): Outcome {
    return this.step(le) ?? transmit(this, le, frame);
  }

  /**
   * A frame arrives at an interface (see stages/receive); `host` when the device that hands it over
   * marked it for this one (a macvlan's rx_handler), so the destination MAC is not checked again.
   */
  receive(le: LinkEntry, frame: Frame, host = false): Outcome {
    return this.step(le) ?? receive(this, le, frame, host);
  }

  /**
   * Follows one copy of a flooded frame: its steps count from the flood's, so a bridge with more
   * ports than a path has steps is not mistaken for a loop; the walk's total work stays bounded.
   */
  copy<T>(follow: () => T): T {
    const at = this.steps;
    try {
      return follow();
    } finally {
      this.steps = at;
    }
  }

  /**
   * A silent walk over the same snapshot and direction, for a question asked on the way (ARP). It
   * keeps no learnt neighbours: its answer may be kept for the snapshot (see askArp). Its frames
   * teach bridges as any frame does, apart from this walk's until taken over (see LearntFdb).
   */
  probe(): Walk {
    const run = { chooser: new Chooser(), hookMemo: this.run.hookMemo, fdb: this.run.fdb?.child() ?? new LearntFdb() };
    return new Walk(this.index, this.direction, true, this.conntrack, this.ovsAnswers, run);
  }

  /** Keeps the entry a namespace made for the sender of a request it answered (see LearntNeighbors). */
  learn(entry: LearntNeighbor): void {
    (this.learnt ??= []).push(entry);
  }

  /**
   * Records a hop. Stages on the common path test `silent` before building a hop's text: the rules
   * walk ~10⁴ silent paths at cluster scale, where that text is built for nobody.
   */
  hop(spec: HopSpec): void {
    if (this.silent) return;
    this.hops.push({
      direction: this.direction,
      host: spec.ns.ref.host,
      netns: spec.ns.ns.name,
      interface: spec.link?.link.name ?? null,
      element: spec.link?.id ?? netnsId(spec.ns.ref),
      component: spec.component,
      action: spec.action,
      verdict: spec.verdict,
      reason: spec.reason,
      ...(spec.fix ? { fix: spec.fix } : {}),
      ...(spec.openflow ? { openflow: spec.openflow } : {}),
      ...(spec.rule ? { rule: spec.rule } : {}),
      ...(spec.dropReason ? { dropReason: spec.dropReason } : {}),
    });
  }

  /** Records the hop where the walk stops, and stops. */
  stop(spec: StopSpec): Outcome {
    this.lastStop = { ...spec, action: 'dropped' };
    this.hop({ ...spec, action: 'dropped' });
    return this.end(spec.verdict);
  }

  /** Ends the walk without a hop of its own (the last hop already says why). */
  end(verdict: 'dropped' | 'unknown'): Outcome {
    return { verdict, receiver: this.lastReceiver };
  }

  /** The packet arrived in `ns`: from `src`, as `packet` (what its socket sees, after any NAT). */
  delivered(
    ns: NetnsEntry,
    src: string | undefined,
    mac?: string,
    packet?: IpPacket,
    untold = false,
    socket?: ListeningSocket,
  ): Outcome {
    return {
      verdict: 'delivered',
      ns,
      src,
      receiver: this.lastReceiver,
      ...(mac ? { mac } : {}),
      ...(packet ? { packet } : {}),
      ...(untold ? { untold } : {}),
      ...(socket ? { socket } : {}),
    };
  }

  /** An ARP request answered where it arrived, with `mac`: its answer is not walked back. */
  answeredInPlace(ns: NetnsEntry, src: string | undefined, mac: string): Outcome {
    return { verdict: 'delivered', ns, src, receiver: this.lastReceiver, mac, answeredInPlace: true };
  }

  /** Counts a device step; past a limit (the path loops, or floods too far) the walk ends unknown. */
  private step(le: LinkEntry): Outcome | undefined {
    const loops = ++this.steps > MAX_STEPS;
    if (!loops && ++this.work <= MAX_WORK) return undefined;
    return this.stop({
      ns: le.netns,
      link: le,
      component: 'routing',
      verdict: 'unknown',
      reason: loops
        ? `gave up after ${MAX_STEPS} steps: the path loops`
        : `gave up after ${MAX_WORK} steps of flooded copies`,
    });
  }
}
