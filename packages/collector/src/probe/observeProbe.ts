import { readFile } from 'node:fs/promises';
import {
  parseIp,
  type CapturedPacket,
  type HostMap,
  type KernelObservation,
  type PingResult,
  type ProbeMark,
  type ProbeObservation,
  type ProbeSend,
  type ProbeTarget,
} from '@hoplens/model';
import { attributeDrops, type ArpRequest, type OwnPacket } from './attributeDrops.ts';
import { startCapture, type Capture, type CaptureResult, type RawCapture } from './capture.ts';
import { arpRequestTarget, decodeProbePacket, packetTypeName, type DecodedProbePacket } from './decodeProbePacket.ts';
import { runPing } from './probePing.ts';
import { counterDeltas, readCounters, type CounterReading } from './readCounters.ts';
import { lockProbe } from './probeLock.ts';
import { netnsFileOf, ProbeInputError, type ResolvedTarget } from './resolvedTarget.ts';
import {
  openTraceSession,
  TraceUnavailableError,
  type KernelTrace,
  type TraceSession,
} from './tracefs/traceInstance.ts';

/** Enough of each frame for every header of a VXLAN-wrapped echo and a piece of its payload. */
const SNAPLEN = 256;
/** A drop can come seconds after the last echo: a neighbour gives up after 3 probes of 1 s. */
const DEFAULT_SETTLE_MS = 3500;
const POLL_MS = 250;

export interface ObserveOptions {
  /** This machine's hosts and namespaces: the only ones a probe enters. */
  readonly map: HostMap;
  readonly mark: ProbeMark;
  /** Send the echo requests from here; without it, only watch (another machine sends). */
  readonly send?: ProbeSend;
  readonly watch: readonly ProbeTarget[];
  /** How long to watch when not sending. */
  readonly windowMs: number;
  /** Longest wait after ping for the kernel to drop what it still holds (a neighbour queue). */
  readonly settleMs?: number;
  /** Called once the captures and the tracepoints are armed, before anything is sent. */
  readonly onArmed?: () => void;
  /** Ends a watch early. */
  readonly signal?: AbortSignal;
  /** Receives what was read, raw: how fixtures are recorded from the lab. */
  readonly record?: (r: ProbeRecording) => void;
}

/** Everything a probe read on one machine, as read: a fixture for the attribution's tests. */
export interface ProbeRecording {
  readonly formats: Record<string, string>;
  readonly trace: string;
  readonly captures: { target: number; monoNs: string; wireLength: number; packetType: number; bytes: string }[];
  readonly targets: readonly ProbeTarget[];
  readonly mark: ProbeMark;
  readonly startNs: string;
  readonly endNs: string;
  readonly ping?: PingResult;
  readonly pingPid?: number;
  readonly bootId?: string;
}

/** Root is needed for tracefs, AF_PACKET sockets and entering namespaces. */
export function assertProbeRoot(): void {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new ProbeInputError(
      'a probe needs root: it enters namespaces, opens packet sockets and reads the kernel tracepoints',
    );
  }
}

/**
 * Runs one machine's part of a probe: arms packet captures on the watched interfaces and a private
 * tracefs instance, sends the marked echo requests (when told to), waits for late drops, and
 * returns what it saw. Leaves nothing behind, whatever happens: the helper process and the tracefs
 * instance are gone when this returns or throws, and on process exit.
 */
export async function observeProbe(opts: ObserveOptions): Promise<ProbeObservation> {
  assertProbeRoot();
  const targets: ResolvedTarget[] = opts.watch.map((t) => ({ target: t, file: netnsFileOf(opts.map, t) }));
  const sendFile = opts.send && netnsFileOf(opts.map, opts.send.from);
  const unlock = sendFile ? lockProbe(sendFile) : undefined;
  try {
    return await observeLocked(opts, targets, sendFile);
  } finally {
    unlock?.();
  }
}

async function observeLocked(
  opts: ObserveOptions,
  targets: ResolvedTarget[],
  sendFile: string | undefined,
): Promise<ProbeObservation> {
  const limits: string[] = [];
  const before = await readCounters(targets).catch((e: unknown) => {
    limits.push(`interface counters could not be read: ${(e as Error).message}`);
    return new Map() as CounterReading;
  });
  let trace: TraceSession | undefined;
  let kernelWhy: string | undefined;
  try {
    trace = await openTraceSession(targets.map((t) => t.target.interface));
  } catch (e) {
    if (!(e instanceof TraceUnavailableError)) throw e;
    kernelWhy = e.message;
    limits.push(`the kernel's drop reasons were not observed: ${e.message}`);
  }
  let capture: Capture | undefined;
  let captured: CaptureResult | undefined;
  let kernel: KernelTrace | undefined;
  let ping: PingResult | undefined;
  let pingPid = -1;
  let startNs = 0n;
  let armedAtMs = 0;
  try {
    capture = await startCapture({
      icmpId: opts.mark.icmpId,
      snaplen: SNAPLEN,
      maxSeconds: Math.ceil((opts.windowMs + (opts.settleMs ?? DEFAULT_SETTLE_MS)) / 1000) + 15,
      targets: targets.map((t) => ({ file: t.file, interface: t.target.interface })),
    });
    await capture.ready;
    startNs = process.hrtime.bigint();
    armedAtMs = Date.now();
    opts.onArmed?.();
    if (opts.send && sendFile) {
      ({ result: ping, pid: pingPid } = await runPing(sendFile, opts.send, opts.mark));
      if (ping.answered.length < ping.transmitted && trace) {
        await settle(opts, trace, capture, targets, startNs, ping, pingPid);
      }
    } else {
      await sleep(opts.windowMs, opts.signal);
    }
    captured = await capture.stop();
    capture = undefined;
    kernel = await trace?.close();
    trace = undefined;
  } finally {
    await capture?.stop().catch(() => undefined);
    await trace?.close().catch(() => undefined);
  }
  if (!captured) throw new Error('the capture did not stop');
  const endNs = process.hrtime.bigint();
  const after = await readCounters(targets).catch(() => new Map() as CounterReading);
  for (const [i, message] of captured.errors) {
    const t = targets[i]?.target;
    if (t) limits.push(`no capture on ${t.host}/${t.netns ?? '(root)'}/${t.interface}: ${message}`);
  }
  for (const [i, n] of captured.bufferDrops) {
    const t = targets[i]?.target;
    if (t && n > 0) limits.push(`the capture on ${t.host}/${t.netns ?? '(root)'}/${t.interface} lost ${n} packets`);
  }
  const own = ownPackets(captured.packets, targets, opts.mark);
  const bootId = await kernelBootId();
  let kernelObservation: KernelObservation = { available: false, why: kernelWhy ?? 'not traced' };
  if (kernel) {
    opts.record?.({
      formats: Object.fromEntries(kernel.formats),
      trace: kernel.text,
      captures: captured.packets.map((p) => ({
        target: p.target,
        monoNs: String(p.monoNs),
        wireLength: p.wireLength,
        packetType: p.packetType,
        bytes: Buffer.from(p.bytes).toString('base64'),
      })),
      targets: targets.map((t) => t.target),
      mark: opts.mark,
      startNs: String(startNs),
      endNs: String(endNs),
      ...(ping ? { ping, pingPid } : {}),
      ...(bootId ? { bootId } : {}),
    });
    const attribution = attributeDrops({
      events: kernel.events,
      packets: own,
      targets: targets.map((t) => t.target),
      startNs,
      endNs,
      protocol: protocolOf(opts.send),
      ...(opts.send ? { origin: { ...opts.send.from, pid: pingPid } } : {}),
      sent: sentSeqs(ping),
      answered: ping?.answered ?? [],
      arpRequests: arpRequests(captured.packets, targets),
      ...(bootId ? { bootId } : {}),
    });
    limits.push(...attribution.notes);
    if (kernel.lost > 0) limits.push(`the trace buffer overwrote ${kernel.lost} events: some drops may be missing`);
    for (const m of kernel.missing) limits.push(`this kernel has no ${m} tracepoint: drops are followed less far`);
    kernelObservation = { available: true, events: kernel.events.length, lost: kernel.lost, drops: attribution.drops };
  }
  return {
    ...(ping ? { ping } : {}),
    packets: own.map((p) => toCaptured(p, startNs, armedAtMs)),
    watched: targets.filter((_, i) => !captured.errors.has(i)).map((t) => t.target),
    kernel: kernelObservation,
    counters: counterDeltas(targets, before, after),
    limits,
  };
}

/**
 * After ping, the kernel may still hold a lost echo (queued on a neighbour that is still being
 * resolved): wait until every lost one has a drop attributed, or the settle time is over.
 */
async function settle(
  opts: ObserveOptions,
  trace: TraceSession,
  capture: Capture,
  targets: readonly ResolvedTarget[],
  startNs: bigint,
  ping: PingResult,
  pingPid: number,
): Promise<void> {
  const deadline = Date.now() + (opts.settleMs ?? DEFAULT_SETTLE_MS);
  const lost = sentSeqs(ping).filter((s) => !ping.answered.includes(s));
  while (Date.now() < deadline) {
    const read = await trace.read();
    const { drops } = attributeDrops({
      events: read.events,
      packets: ownPackets(capture.seen(), targets, opts.mark),
      targets: targets.map((t) => t.target),
      startNs,
      endNs: process.hrtime.bigint(),
      protocol: protocolOf(opts.send),
      ...(opts.send ? { origin: { ...opts.send.from, pid: pingPid } } : {}),
      sent: sentSeqs(ping),
      answered: ping.answered,
      arpRequests: arpRequests(capture.seen(), targets),
    });
    const explained = new Set(drops.filter((d) => d.lostEcho).map((d) => d.seq));
    if (lost.every((s) => explained.has(s)) || explained.has(null)) return;
    await sleep(POLL_MS);
  }
}

/** Which kernel traced: parts of a probe on one kernel (hosts of one machine) see the same frees. */
async function kernelBootId(): Promise<string | undefined> {
  return (await readFile('/proc/sys/kernel/random/boot_id', 'utf8').catch(() => '')).trim() || undefined;
}

/** skb->protocol of the probe's packets. */
function protocolOf(send: ProbeSend | undefined): number {
  return parseIp(send?.to ?? '')?.family === 6 ? 0x86dd : 0x0800;
}

/** ping numbers its echoes 1…transmitted. */
function sentSeqs(ping: PingResult | undefined): number[] {
  return Array.from({ length: ping?.transmitted ?? 0 }, (_, i) => i + 1);
}

/** The ARP requests the watched interfaces sent: which neighbours they were waiting for. */
export function arpRequests(raw: readonly RawCapture[], targets: readonly ResolvedTarget[]): ArpRequest[] {
  const out: ArpRequest[] = [];
  for (const r of raw) {
    const target = targets[r.target]?.target;
    const ip = r.packetType === 4 ? arpRequestTarget(r.bytes) : null;
    if (target && ip) out.push({ target, monoNs: r.monoNs, ip });
  }
  return out;
}

interface Decoded extends OwnPacket {
  readonly packetType: number;
  readonly bytes: Uint8Array;
  readonly vni?: number;
  readonly fragment: boolean;
}

/** The captured frames that are the probe's; a later fragment is what its first piece was. */
export function ownPackets(raw: readonly RawCapture[], targets: readonly ResolvedTarget[], mark: ProbeMark): Decoded[] {
  const decoded: { raw: RawCapture; d: DecodedProbePacket }[] = [];
  for (const r of raw) {
    const d = decodeProbePacket(r.bytes, mark);
    if (d) decoded.push({ raw: r, d });
  }
  const firstPieces = new Map<string, DecodedProbePacket>();
  for (const { d } of decoded) if (d.fragmentKey && d.kind !== null) firstPieces.set(d.fragmentKey, d);
  const out: Decoded[] = [];
  for (const { raw: r, d } of decoded) {
    const target = targets[r.target]?.target;
    const first = d.kind === null && d.fragmentKey ? firstPieces.get(d.fragmentKey) : d;
    // A later piece whose first piece is not the probe's is someone else's fragment.
    if (!target || !first?.kind) continue;
    out.push({
      target,
      monoNs: r.monoNs,
      direction: r.packetType === 4 ? 'out' : 'in',
      wireLength: r.wireLength,
      kind: first.kind,
      seq: first.seq,
      packetType: r.packetType,
      bytes: r.bytes,
      fragment: d.fragmentKey !== undefined,
      ...((d.vni ?? first.vni) !== undefined ? { vni: d.vni ?? first.vni } : {}),
    });
  }
  return out;
}

function toCaptured(p: Decoded, startNs: bigint, armedAtMs: number): CapturedPacket {
  return {
    host: p.target.host,
    netns: p.target.netns,
    interface: p.target.interface,
    atMs: armedAtMs + Number(p.monoNs - startNs) / 1e6,
    direction: p.direction,
    packetType: packetTypeName(p.packetType),
    kind: p.kind,
    seq: p.seq,
    ...(p.fragment ? { fragment: true } : {}),
    ...(p.vni !== undefined ? { vni: p.vni } : {}),
    wireLength: p.wireLength,
    bytes: Buffer.from(p.bytes).toString('base64'),
  };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
