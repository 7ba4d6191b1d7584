import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readlinkSync, rmdirSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { onExit } from '../exitCleanup.ts';
import { parseEventFormat, type EventFormat } from './eventFormat.ts';
import { parseTraceLine, type TraceEvent, type TraceEventName } from './traceEvent.ts';

const TRACEFS_MOUNTS = ['/sys/kernel/tracing', '/sys/kernel/debug/tracing'];
/**
 * `hoplens-probe-<pid namespace>-<pid>-<random>`: the only instances a probe ever removes, and only
 * when that pid, in its own pid namespace, is gone (a pid from another container means nothing here).
 */
const INSTANCE = /^hoplens-probe-(\d+)-(\d+)-[0-9a-f]{8}$/;
const PID_NAMESPACE = /\[(\d+)\]/.exec(safeReadlink('/proc/self/ns/pid'))?.[1] ?? '0';

const EVENTS: readonly { group: string; name: TraceEventName; required: boolean }[] = [
  { group: 'skb', name: 'kfree_skb', required: true },
  { group: 'skb', name: 'consume_skb', required: false },
  { group: 'net', name: 'netif_receive_skb', required: false },
  { group: 'net', name: 'net_dev_queue', required: false },
  { group: 'neigh', name: 'neigh_timer_handler', required: false },
];

/** What the kernel's tracepoints recorded during a probe. */
export interface KernelTrace {
  readonly events: TraceEvent[];
  /** The `trace` file as read, and the format files: what a fixture records. */
  readonly text: string;
  readonly formats: ReadonlyMap<string, string>;
  /** Events the ring buffer overwrote before they were read. */
  readonly lost: number;
  /** Tracepoints this kernel lacks (the probe says what it could not see). */
  readonly missing: readonly string[];
}

/** A private tracefs instance recording skb events; read it while it runs, then close it. */
export interface TraceSession {
  read(): Promise<KernelTrace>;
  /** Stops tracing, reads, and removes the instance. */
  close(): Promise<KernelTrace>;
}

/** Thrown when the kernel's tracepoints cannot be used; the message says why, for the probe's limits. */
export class TraceUnavailableError extends Error {
  override readonly name = 'TraceUnavailableError';
}

/**
 * Opens a private tracefs instance (instances/hoplens-probe-<pidns>-<pid>-<random>) that records
 * `skb:kfree_skb` (IPv4 and IPv6 only), `skb:consume_skb` (to know where one buffer's life ends and
 * the next begins at the same address), and `net:netif_receive_skb`/`net:net_dev_queue` on the
 * named devices, stamped with CLOCK_MONOTONIC. It never touches the global buffer or another
 * tool's instance; it is removed on close, and on process exit if it was not closed. Stale
 * instances of this naming whose process is gone are removed first.
 */
export async function openTraceSession(devices: readonly string[]): Promise<TraceSession> {
  const root = TRACEFS_MOUNTS.find((m) => existsSync(`${m}/instances`));
  if (!root) {
    throw new TraceUnavailableError('tracefs is not mounted (mount -t tracefs nodev /sys/kernel/tracing)');
  }
  removeStaleInstances(root);
  const dir = `${root}/instances/hoplens-probe-${PID_NAMESPACE}-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await mkdir(dir);
  } catch (e) {
    throw new TraceUnavailableError(
      `cannot create a tracefs instance: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
  const forget = onExit(() => rmdirSync(dir));
  const remove = (): void => {
    forget();
    rmdirSync(dir);
  };
  try {
    const formats = new Map<string, EventFormat>();
    const formatTexts = new Map<string, string>();
    const missing: string[] = [];
    for (const e of EVENTS) {
      const text = await readFile(`${dir}/events/${e.group}/${e.name}/format`, 'utf8').catch(() => undefined);
      if (text === undefined) {
        if (e.required) throw new TraceUnavailableError(`this kernel has no ${e.group}:${e.name} tracepoint`);
        missing.push(`${e.group}:${e.name}`);
        continue;
      }
      formats.set(e.name, parseEventFormat(text));
      formatTexts.set(e.name, text);
    }
    // The capture's timestamps are turned into CLOCK_MONOTONIC; the events must use the same clock.
    await writeFile(`${dir}/trace_clock`, 'mono').catch(() => {
      throw new TraceUnavailableError('this kernel cannot stamp trace events with the monotonic clock');
    });
    await writeFile(`${dir}/options/hash-ptr`, '0').catch(() => undefined);
    // Each field as name=value with numbers raw: reasons are then decoded with the format's table.
    await writeFile(`${dir}/options/fields`, '1').catch(() => undefined);
    const perCpuKb = Math.max(512, Math.floor(16384 / availableParallelism()));
    await writeFile(`${dir}/buffer_size_kb`, String(perCpuKb)).catch(() => undefined);
    for (const e of EVENTS) {
      if (!formats.has(e.name)) continue;
      const base = `${dir}/events/${e.group}/${e.name}`;
      const filter = eventFilter(e.name, formats.get(e.name)!, devices);
      if (filter) await writeFile(`${base}/filter`, filter);
      await writeFile(`${base}/enable`, '1');
    }
    const read = async (): Promise<KernelTrace> => {
      const text = await readFile(`${dir}/trace`, 'utf8');
      return { ...parseTrace(text, formats), text, formats: formatTexts, lost: await overruns(dir), missing };
    };
    return {
      read,
      async close(): Promise<KernelTrace> {
        try {
          await writeFile(`${dir}/tracing_on`, '0');
          return await read();
        } finally {
          remove();
        }
      },
    };
  } catch (e) {
    remove();
    throw e;
  }
}

/** The events of a `trace` file, with the formats of the events it holds. */
export function parseTrace(text: string, formats: ReadonlyMap<string, EventFormat>): { events: TraceEvent[] } {
  const events: TraceEvent[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const ev = parseTraceLine(line, formats);
    if (ev) events.push(ev);
  }
  return { events };
}

/** Filters keep the buffer for what a probe can use: IP drops, failed neighbours, and the devices it watches. */
function eventFilter(event: TraceEventName, format: EventFormat, devices: readonly string[]): string | undefined {
  if (event === 'kfree_skb')
    return format.fields.includes('protocol') ? 'protocol == 2048 || protocol == 34525' : undefined;
  if (event === 'consume_skb') return undefined;
  if (event === 'neigh_timer_handler') return format.fields.includes('nud_state') ? 'nud_state == 32' : undefined;
  // A name the filter language cannot quote is not filtered at all: more events, never fewer.
  if (devices.length === 0 || devices.some((d) => !/^[\w.@%+-]+$/.test(d))) return undefined;
  return [...new Set(devices)].map((d) => `name == "${d}"`).join(' || ');
}

async function overruns(dir: string): Promise<number> {
  let lost = 0;
  for (const cpu of await readdir(`${dir}/per_cpu`).catch(() => [])) {
    const stats = await readFile(`${dir}/per_cpu/${cpu}/stats`, 'utf8').catch(() => '');
    lost += Number(/^overrun: (\d+)/m.exec(stats)?.[1] ?? 0);
  }
  return lost;
}

/** Removes instances of our naming left by a probe whose process died (SIGKILL): never anyone else's. */
function removeStaleInstances(root: string): void {
  let names: string[];
  try {
    names = readdirSync(`${root}/instances`);
  } catch {
    return;
  }
  for (const name of names) {
    const m = INSTANCE.exec(name);
    const pid = Number(m?.[2]);
    if (!m || m[1] !== PID_NAMESPACE || pid === process.pid || alive(pid)) continue;
    try {
      rmdirSync(`${root}/instances/${name}`);
    } catch {
      // another probe removed it first
    }
  }
}

function safeReadlink(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return '';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
