import { spawn } from 'node:child_process';
import { nativeHelper } from '../netlink/helperBinary.ts';
import { onExit } from './exitCleanup.ts';

/** An interface to capture on, and the namespace file to reach it by ("-": the helper's own). */
export interface CaptureTarget {
  readonly file: string;
  readonly interface: string;
}

/** A frame as the helper delivered it. */
export interface RawCapture {
  readonly target: number;
  /** CLOCK_MONOTONIC nanoseconds, the clock tracefs stamps events with (trace_clock mono). */
  readonly monoNs: bigint;
  readonly wireLength: number;
  readonly packetType: number;
  readonly bytes: Uint8Array;
}

export interface CaptureResult {
  readonly packets: RawCapture[];
  /** Per target: why it could not capture. */
  readonly errors: Map<number, string>;
  /** Per target: packets the kernel dropped because the socket's buffer was full. */
  readonly bufferDrops: Map<number, number>;
}

export interface Capture {
  /** Resolves once every socket is open and filtering (or has said why not). */
  readonly ready: Promise<void>;
  /** What was captured so far. */
  seen(): readonly RawCapture[];
  /** Stops capturing and returns what was seen. */
  stop(): Promise<CaptureResult>;
}

const FRAME = { packet: 1, ready: 2, stats: 3, error: 99 } as const;
const HEADER = 12;
const PACKET_HEAD = 16;
/** A probe sends at most 10 echoes; a path has a few dozen interfaces: more is someone else's traffic. */
const MAX_PACKETS = 5000;

/**
 * Captures a probe's packets (by ICMP identifier) on interfaces of several namespaces with the
 * native helper (native/pcapture.c): one process, one AF_PACKET socket per interface, filtered in
 * the kernel. The helper exits when stopped, when this process dies, or after `maxSeconds`.
 */
export async function startCapture(opts: {
  icmpId: number;
  snaplen: number;
  maxSeconds: number;
  targets: readonly CaptureTarget[];
}): Promise<Capture> {
  const helper = await nativeHelper('pcapture');
  const args = [String(opts.icmpId), String(opts.snaplen), String(Math.ceil(opts.maxSeconds))];
  for (const t of opts.targets) args.push(t.file, t.interface);
  const child = spawn(helper, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const forget = onExit(() => child.kill('SIGKILL'));
  const packets: RawCapture[] = [];
  const errors = new Map<number, string>();
  const bufferDrops = new Map<number, number>();
  let stderr = '';
  let pending: Buffer = Buffer.alloc(0);
  let markReady: () => void = () => undefined;
  let failReady: (e: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    failReady = reject;
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-2000);
  });
  child.stdout.on('data', (d: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, d]) : d;
    let at = 0;
    while (pending.length - at >= HEADER) {
      const index = pending.readUInt32LE(at);
      const kind = pending.readUInt32LE(at + 4);
      const len = pending.readUInt32LE(at + 8);
      if (pending.length - at - HEADER < len) break;
      const body = pending.subarray(at + HEADER, at + HEADER + len);
      at += HEADER + len;
      if (kind === FRAME.ready) markReady();
      else if (kind === FRAME.error) errors.set(index, body.toString('utf8'));
      else if (kind === FRAME.stats && len >= 8) bufferDrops.set(index, body.readUInt32LE(4));
      else if (kind === FRAME.packet && len >= PACKET_HEAD && packets.length < MAX_PACKETS) {
        packets.push({
          target: index,
          monoNs: body.readBigUInt64LE(0),
          wireLength: body.readUInt32LE(8),
          packetType: body.readUInt8(12),
          bytes: new Uint8Array(body.subarray(PACKET_HEAD)),
        });
      }
    }
    pending = pending.subarray(at);
  });
  const exited = new Promise<number | null>((resolve) => {
    child.on('close', (code) => {
      forget();
      failReady(new Error(`the capture helper exited (${code}) before it was ready: ${stderr.trim()}`));
      resolve(code);
    });
    child.on('error', (e) => {
      failReady(e);
      resolve(null);
    });
  });
  return {
    ready,
    seen: () => packets,
    async stop(): Promise<CaptureResult> {
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGTERM'), 2000);
      await exited;
      clearTimeout(timer);
      return { packets, errors, bufferDrops };
    },
  };
}
