import Type from 'typebox';
import { DeviceNameSchema, NetnsNameSchema } from './hostMap.ts';
import { NetnsRefSchema } from './refs.ts';
import { TraceResultSchema } from './trace.ts';
import { SNAPSHOT_ID_PATTERN } from './snapshotId.ts';

/** At most this many echo requests per probe: a probe is a look, not a load. */
export const MAX_PROBE_COUNT = 10;
/** The largest ICMP payload a probe sends (a jumbo frame's, 9000 − 28). */
export const MAX_PROBE_SIZE = 8972;

/** Where a probe's packets are looked for: an interface of the predicted path, in its namespace. */
export const ProbeTargetSchema = Type.Object({
  host: Type.String({ minLength: 1, maxLength: 253 }),
  netns: Type.Union([NetnsNameSchema, Type.Null()]),
  interface: DeviceNameSchema,
});
export type ProbeTarget = Type.Static<typeof ProbeTargetSchema>;

/** What marks a probe's packets on the wire: the ICMP identifier and `ping -p`'s payload pattern. */
export const ProbeMarkSchema = Type.Object({
  icmpId: Type.Integer({ minimum: 1, maximum: 65535 }),
  /** Hex, as `ping -p` takes it: up to 16 bytes. */
  pattern: Type.String({ pattern: '^(?:[0-9a-f]{2}){1,16}$' }),
});
export type ProbeMark = Type.Static<typeof ProbeMarkSchema>;

/** The echo requests a probe sends: `ping -c count -s size [-M do]` from a namespace. */
export const ProbeSendSchema = Type.Object({
  from: NetnsRefSchema,
  to: Type.String({ minLength: 2, maxLength: 64 }),
  count: Type.Integer({ minimum: 1, maximum: MAX_PROBE_COUNT }),
  size: Type.Integer({ minimum: 0, maximum: MAX_PROBE_SIZE }),
  df: Type.Boolean(),
});
export type ProbeSend = Type.Static<typeof ProbeSendSchema>;

/**
 * What a server asks an agent (`POST /v1/probe`): watch these interfaces (of the agent's own hosts)
 * for packets with this mark, and send the echo requests when `send` is given. An agent without
 * `send` watches for `windowMs`, while another agent sends.
 */
export const AgentProbeRequestSchema = Type.Object({
  mark: ProbeMarkSchema,
  send: Type.Optional(ProbeSendSchema),
  watch: Type.Array(ProbeTargetSchema, { maxItems: 64 }),
  windowMs: Type.Integer({ minimum: 500, maximum: 30_000 }),
});
export type AgentProbeRequest = Type.Static<typeof AgentProbeRequestSchema>;

/** What `ping` got: counts, the sequence numbers answered, and its error lines. */
export const PingResultSchema = Type.Object({
  transmitted: Type.Integer({ minimum: 0 }),
  received: Type.Integer({ minimum: 0 }),
  /** `icmp_seq` of every echo reply ping printed. */
  answered: Type.Array(Type.Integer({ minimum: 0 })),
  /** What ping said went wrong: ICMP errors it received, or the kernel refusing to send. */
  errors: Type.Array(Type.String({ maxLength: 300 }), { maxItems: 20 }),
  exitCode: Type.Integer(),
  /** ping's own output, trimmed. */
  output: Type.String({ maxLength: 4000 }),
});
export type PingResult = Type.Static<typeof PingResultSchema>;

/** `request`/`reply`: an echo of the probe (or a piece of one); `error`: an ICMP error quoting one. */
export const ProbePacketKindSchema = Type.Union([
  Type.Literal('request'),
  Type.Literal('reply'),
  Type.Literal('error'),
]);
export type ProbePacketKind = Type.Static<typeof ProbePacketKindSchema>;

/** The kernel's packet type for a captured frame (`sll_pkttype`): `otherhost` is a frame for another MAC. */
export const PacketTypeSchema = Type.Union([
  Type.Literal('host'),
  Type.Literal('broadcast'),
  Type.Literal('multicast'),
  Type.Literal('otherhost'),
  Type.Literal('outgoing'),
  Type.Literal('other'),
]);
export type PacketType = Type.Static<typeof PacketTypeSchema>;

/** One of the probe's packets, seen on an interface. */
export const CapturedPacketSchema = Type.Object({
  host: Type.String(),
  netns: Type.Union([Type.String(), Type.Null()]),
  interface: Type.String(),
  /** When, in milliseconds since the epoch by the capturing machine's clock (machines' clocks may differ). */
  atMs: Type.Number(),
  direction: Type.Union([Type.Literal('in'), Type.Literal('out')]),
  packetType: PacketTypeSchema,
  kind: ProbePacketKindSchema,
  /** The echo's `icmp_seq`; for an error, the one of the echo it quotes. */
  seq: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  /** A piece of a fragmented packet (of the echo `seq`). */
  fragment: Type.Optional(Type.Boolean()),
  /** Inside a VXLAN tunnel: the VNI. */
  vni: Type.Optional(Type.Integer({ minimum: 0 })),
  wireLength: Type.Integer({ minimum: 0 }),
  /** What was captured (up to the snap length), base64: what the pcap file is made of. */
  bytes: Type.String({ maxLength: 4096 }),
});
export type CapturedPacket = Type.Static<typeof CapturedPacketSchema>;

/** Where the kernel freed a probe packet: the last device it was on, and whether it was arriving or leaving. */
export const DropSiteSchema = Type.Object({
  host: Type.String(),
  netns: Type.Union([Type.String(), Type.Null()]),
  /** Null when the packet never reached a device (dropped where it was sent from). */
  interface: Type.Union([Type.String(), Type.Null()]),
  /**
   * `receive`: dropped while that interface received it; `transmit`: after that interface sent it on
   * (into a tunnel's underlay, say); `neighbor`: while it waited for that interface's next hop to
   * answer ARP; `origin`: never left the namespace that sent it.
   */
  stage: Type.Union([
    Type.Literal('receive'),
    Type.Literal('transmit'),
    Type.Literal('neighbor'),
    Type.Literal('origin'),
  ]),
});
export type DropSite = Type.Static<typeof DropSiteSchema>;

const NS = { pattern: '^[0-9]{1,20}$' };

/**
 * The `skb:kfree_skb` event a drop comes from, so that the parts of one probe that traced the same
 * kernel (a server reaching two hosts of one machine separately, each part tracing only its own
 * devices) count one free once, at the place the best evidence names.
 */
export const FreeEventSchema = Type.Object({
  /** A digest of the kernel's boot id, the CPU, the buffer's address, the location and the reason (never the address). */
  key: Type.String({ maxLength: 64 }),
  /** When it was freed (CLOCK_MONOTONIC ns; each trace instance stamps the one event itself, microseconds apart). */
  atNs: Type.String(NS),
  /** The last device event of the buffer's life that this part traced: what the site rests on. */
  last: Type.Optional(
    Type.Object({
      atNs: Type.String(NS),
      device: Type.String(),
      direction: Type.Union([Type.Literal('in'), Type.Literal('out')]),
    }),
  ),
  /** That event was one a captured probe packet vouched for (its namespace is known, not only its name). */
  vouched: Type.Boolean(),
});
export type FreeEvent = Type.Static<typeof FreeEventSchema>;

/** A `skb:kfree_skb` event the probe attributes to one of its packets. */
export const KernelDropSchema = Type.Object({
  /** The drop reason's name, decoded with the event's own format file (`OTHERHOST`, `NO_SOCKET`, …). */
  reason: Type.String(),
  reasonCode: Type.Integer(),
  /** Kernel function and offset that freed it (`ip_rcv_core+0x22c/0x350`). */
  location: Type.String(),
  packet: ProbePacketKindSchema,
  seq: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  site: DropSiteSchema,
  /**
   * `skb`: the freed buffer was followed, by address, through device events that match the
   * probe's own captured packets; `process`: it was freed in ping's own process, before any
   * device; `timing`: only the time and a neighbour of a watched interface failing tie it to the
   * probe (no other such failure happened then); `send-error`: there was no buffer to free, the
   * kernel refused ping's send (`reason` is the errno).
   */
  attribution: Type.Union([
    Type.Literal('skb'),
    Type.Literal('process'),
    Type.Literal('timing'),
    Type.Literal('send-error'),
  ]),
  /** False when ping got the reply of this sequence anyway: a copy was freed (a flood, ping's socket), not the echo. */
  lostEcho: Type.Boolean(),
  /** The free itself; absent for a refused send and in probes stored before it was recorded. */
  free: Type.Optional(FreeEventSchema),
  /**
   * Other places parts of the probe tied this same free to, which no evidence ranks below `site`:
   * one drop, its site uncertain among `site` and these. Absent when the site is certain.
   */
  alsoPossible: Type.Optional(Type.Array(DropSiteSchema, { minItems: 1, maxItems: 16 })),
});
export type KernelDrop = Type.Static<typeof KernelDropSchema>;

/** What the kernel's tracepoints told, or why they could not be read. */
export const KernelObservationSchema = Type.Union([
  Type.Object({
    available: Type.Literal(true),
    /** Tracepoint events read in the probe's window (its own and every other on the machine). */
    events: Type.Integer({ minimum: 0 }),
    /** Events the trace buffer overwrote: attribution may miss drops when this is not 0. */
    lost: Type.Integer({ minimum: 0 }),
    drops: Type.Array(KernelDropSchema),
  }),
  Type.Object({ available: Type.Literal(false), why: Type.String() }),
]);
export type KernelObservation = Type.Static<typeof KernelObservationSchema>;

/** How an interface's counters moved during the probe (others' traffic on it counts too). */
export const CounterDeltaSchema = Type.Object({
  host: Type.String(),
  netns: Type.Union([Type.String(), Type.Null()]),
  interface: Type.String(),
  rxPackets: Type.Number(),
  txPackets: Type.Number(),
  rxDropped: Type.Number(),
  txDropped: Type.Number(),
  /** Absent where the kernel or the backend does not report it. */
  rxOtherhostDropped: Type.Optional(Type.Number()),
});
export type CounterDelta = Type.Static<typeof CounterDeltaSchema>;

/** What one machine saw during a probe: the local run, or one agent's answer. */
export const ProbeObservationSchema = Type.Object({
  /** Only on the machine that sent the echo requests. */
  ping: Type.Optional(PingResultSchema),
  packets: Type.Array(CapturedPacketSchema, { maxItems: 5000 }),
  /** The interfaces whose capture was open for the whole probe. */
  watched: Type.Array(ProbeTargetSchema),
  kernel: KernelObservationSchema,
  counters: Type.Array(CounterDeltaSchema),
  /** What could not be observed, in words (an interface that would not open, no tracefs, …). */
  limits: Type.Array(Type.String({ maxLength: 500 })),
});
export type ProbeObservation = Type.Static<typeof ProbeObservationSchema>;

export const SeenSchema = Type.Union([Type.Literal('seen'), Type.Literal('not-seen'), Type.Literal('not-watched')]);
export type Seen = Type.Static<typeof SeenSchema>;

/** A predicted hop, and what the probe observed at its interface. */
export const HopObservationSchema = Type.Object({
  /** Index into the prediction's hops. */
  hop: Type.Integer({ minimum: 0 }),
  request: SeenSchema,
  reply: SeenSchema,
  /** How it was seen: `in`, `out`, `in (otherhost)`, … */
  how: Type.Array(Type.String()),
  /** The kernel dropped a probe packet here (or, for `transmit`, right after this interface sent it). */
  drops: Type.Array(KernelDropSchema),
});
export type HopObservation = Type.Static<typeof HopObservationSchema>;

/** Observed against predicted: does the kernel agree with the trace? */
export const ProbeAgreementSchema = Type.Object({
  /** `unknown` when the trace could not tell (its verdict was unknown). */
  verdict: Type.Union([Type.Literal('agree'), Type.Literal('disagree'), Type.Literal('unknown')]),
  /**
   * For a dropped path: `agree` when the kernel dropped it at the predicted hop or the one after,
   * `disagree` when elsewhere, `uncertain` when the kernel's events leave the drop between places
   * of which some agree and some do not, `unobserved` when no drop could be attributed; `none`
   * when delivered.
   */
  dropSite: Type.Union([
    Type.Literal('agree'),
    Type.Literal('disagree'),
    Type.Literal('uncertain'),
    Type.Literal('unobserved'),
    Type.Literal('none'),
  ]),
  /** One sentence: the kernel's verdict in words. */
  summary: Type.String(),
  details: Type.Array(Type.String()),
});
export type ProbeAgreement = Type.Static<typeof ProbeAgreementSchema>;

/** Where a probe's packet was last seen, in path order. */
export const LastSeenSchema = Type.Object({
  hop: Type.Integer({ minimum: 0 }),
  host: Type.String(),
  netns: Type.Union([Type.String(), Type.Null()]),
  interface: Type.String(),
  packet: ProbePacketKindSchema,
});
export type LastSeen = Type.Static<typeof LastSeenSchema>;

/**
 * An interface just past a predicted drop, watched to see where the kernel really gave up: the
 * ports a bridge floods a frame to that no port claims, and their veth peers.
 */
export const OffPathTargetSchema = Type.Object({
  ...ProbeTargetSchema.properties,
  /** The predicted hop it comes right after. */
  after: Type.Integer({ minimum: 0 }),
});
export type OffPathTarget = Type.Static<typeof OffPathTargetSchema>;

/** A probe's whole answer: the prediction, what was observed, and whether they agree. Stored with the snapshot. */
export const ProbeResultSchema = Type.Object({
  id: Type.String({ pattern: '^[A-Za-z0-9_-]{16,64}$' }),
  snapshotId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  send: ProbeSendSchema,
  mark: ProbeMarkSchema,
  predicted: TraceResultSchema,
  offPath: Type.Array(OffPathTargetSchema),
  observed: Type.Object({
    /** What ping got: `delivered` when at least one echo was answered, as ping's exit status says. */
    verdict: Type.Union([Type.Literal('delivered'), Type.Literal('dropped')]),
    ping: PingResultSchema,
    /** The probe's packets, without their bytes (those are in the pcap). */
    packets: Type.Array(Type.Omit(CapturedPacketSchema, ['bytes'])),
    watched: Type.Array(ProbeTargetSchema),
    kernel: KernelObservationSchema,
    counters: Type.Array(CounterDeltaSchema),
    limits: Type.Array(Type.String()),
  }),
  hops: Type.Array(HopObservationSchema),
  lastSeen: Type.Union([LastSeenSchema, Type.Null()]),
  /** The drop that explains the loss, when the kernel told one. */
  kernelDrop: Type.Union([KernelDropSchema, Type.Null()]),
  agreement: ProbeAgreementSchema,
});
export type ProbeResult = Type.Static<typeof ProbeResultSchema>;

/** A stored probe in a list: when, what, and the verdicts. */
export const ProbeSummarySchema = Type.Object({
  id: Type.String(),
  createdAt: Type.String(),
  from: NetnsRefSchema,
  to: Type.String(),
  observed: Type.Union([Type.Literal('delivered'), Type.Literal('dropped')]),
  agreement: Type.Union([Type.Literal('agree'), Type.Literal('disagree'), Type.Literal('unknown')]),
});
export type ProbeSummary = Type.Static<typeof ProbeSummarySchema>;

/** `POST /api/snapshots/:id/probe`: the same endpoints as a trace, and how many pings of what size. */
export const ProbeQuerySchema = Type.Object({
  from: Type.Optional(Type.String({ minLength: 1, maxLength: 600 })),
  pod: Type.Optional(Type.String({ minLength: 1, maxLength: 600 })),
  to: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  count: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PROBE_COUNT })),
  size: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_PROBE_SIZE })),
  df: Type.Optional(Type.Boolean()),
});
export type ProbeQuery = Type.Static<typeof ProbeQuerySchema>;

export const ProbeIdParamsSchema = Type.Object({
  id: Type.String({ pattern: SNAPSHOT_ID_PATTERN }),
  probeId: Type.String({ pattern: '^[A-Za-z0-9_-]{16,64}$' }),
});

/** What an agent tells a server it can probe (`GET /v1/probe`): its hosts and their namespaces. */
export const AgentProbeInfoSchema = Type.Object({
  hosts: Type.Array(Type.Object({ name: Type.String(), netns: Type.Array(Type.Union([Type.String(), Type.Null()])) })),
});
export type AgentProbeInfo = Type.Static<typeof AgentProbeInfoSchema>;
