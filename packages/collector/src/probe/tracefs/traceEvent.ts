import type { EventFormat } from './eventFormat.ts';

/**
 * The tracepoints a probe reads: drops and frees of socket buffers, devices receiving and queueing
 * them, and a neighbour giving up (whose queued buffers are dropped right before it is reported).
 */
export type TraceEventName =
  'kfree_skb' | 'consume_skb' | 'netif_receive_skb' | 'net_dev_queue' | 'neigh_timer_handler';

/** One line of a tracefs `trace` file, for the events a probe enables. */
export interface TraceEvent {
  readonly event: TraceEventName;
  /** trace_clock mono: CLOCK_MONOTONIC nanoseconds (printed to the microsecond). */
  readonly tsNs: bigint;
  readonly cpu: number;
  /** The task the event ran in (in interrupt context, whoever was interrupted). */
  readonly pid: number;
  /** In a task's own context, not in a (soft) interrupt: the task itself did it. */
  readonly inTask: boolean;
  /** The socket buffer's address: the thread that ties a free to the devices it crossed (empty for neigh events). */
  readonly skbaddr: string;
  /** Device (netif_receive_skb, net_dev_queue). */
  readonly device?: string;
  /** skb->len at the event. */
  readonly len?: number;
  /** kfree_skb: function+offset that freed it. */
  readonly location?: string;
  /** kfree_skb: skb->protocol (2048 for IPv4). */
  readonly protocol?: number;
  readonly reasonCode?: number;
  /** The reason's name, from the event format's own table. */
  readonly reason?: string;
  /** neigh_timer_handler: the neighbour's state after the timer (0x20: failed). */
  readonly nudState?: number;
  /** neigh_timer_handler: the IPv4 address the neighbour is for (the `fields` print cannot show an IPv6 key). */
  readonly neighbor?: string;
  /** neigh_timer_handler: the neighbour table's address family (2 IPv4, 10 IPv6). */
  readonly family?: number;
}

/** net_dev_queue sees a device send the buffer; netif_receive_skb, receive it. */
export const directionOf = (e: TraceEvent): 'in' | 'out' => (e.event === 'net_dev_queue' ? 'out' : 'in');

const HEADER = /^(.*)-(\d+)\s+\[(\d+)\]\s+(?:(\S{4,6})\s+)?(\d+)\.(\d{6}):\s+(\w+):\s(.*)$/;
/** `0x54 (84)`, `84`, `(84)`, or a char field as `' '(32)`: the decimal in parentheses wins. */
const NUMBER = /^(?:(-?(?:0x[0-9a-fA-F]+|\d+))|'.*')?\s?(?:\((-?\d+)\))?$/;

/**
 * Parses one line of `trace` for the skb events, with the `fields` option on (every field as
 * `name=value`, in format order; numbers with their decimal in parentheses) or, on kernels without
 * that option, the event's default print. Returns null for other lines and events.
 */
export function parseTraceLine(line: string, formats: ReadonlyMap<string, EventFormat>): TraceEvent | null {
  const m = HEADER.exec(line);
  if (!m) return null;
  const event = m[7] as TraceEventName;
  const format = formats.get(event);
  if (!format) return null;
  const values = fieldValues(m[8]!, format);
  const skbaddr = values.get('skbaddr') ?? (event === 'neigh_timer_handler' ? '' : undefined);
  if (skbaddr === undefined) return null;
  const num = (k: string): number | undefined => {
    const v = values.get(k);
    const n = v === undefined ? undefined : NUMBER.exec(v);
    if (!n || (n[1] === undefined && n[2] === undefined)) return undefined;
    return Number(n[2] ?? n[1]);
  };
  const reasonText = values.get('reason');
  const reasonCode = num('reason');
  const reason =
    reasonCode !== undefined
      ? (format.symbols.get('reason')?.get(reasonCode) ?? `reason ${reasonCode}`)
      : reasonText && /^[A-Z_0-9]+$/.test(reasonText)
        ? reasonText
        : undefined;
  const device = values.get('name') ?? values.get('dev');
  const location = values.get('location')?.replace(/ \(-?\d+\)$/, '');
  const len = num('len');
  const protocol = num('protocol');
  const nudState = num('nud_state');
  const family = num('family');
  // For an IPv6 neighbour the kernel zeroes primary_key4; its key is in primary_key6, unprintable here.
  const key = family === undefined || family === 2 ? num('primary_key4') : undefined;
  // irq-info flags: the third says hard/soft interrupt ('h', 's', 'H') or task context ('.').
  const flags = m[4] ?? '';
  return {
    event,
    tsNs: BigInt(m[5]!) * 1_000_000_000n + BigInt(m[6]!) * 1000n,
    cpu: Number(m[3]),
    pid: Number(m[2]),
    inTask: flags.length >= 3 && flags[2] === '.',
    skbaddr: skbaddr === '' ? '' : normalizeAddress(skbaddr),
    ...(device !== undefined ? { device } : {}),
    ...(len !== undefined ? { len } : {}),
    ...(location !== undefined ? { location } : {}),
    ...(protocol !== undefined ? { protocol } : {}),
    ...(reasonCode !== undefined ? { reasonCode } : {}),
    ...(reason !== undefined ? { reason } : {}),
    ...(nudState !== undefined && event === 'neigh_timer_handler' ? { nudState } : {}),
    ...(key !== undefined && event === 'neigh_timer_handler' ? { neighbor: ipv4OfKey(key) } : {}),
    ...(family !== undefined && event === 'neigh_timer_handler' ? { family } : {}),
  };
}

/**
 * Splits `a=1 b=x y c=3` by the format's field names, in order: a string field (a device name)
 * runs to the next field, so `=` or spaces inside it cannot shift the others. The default print
 * (`reason: NAME`) is read the same way.
 */
function fieldValues(rest: string, format: EventFormat): Map<string, string> {
  const starts: { name: string; at: number; value: number }[] = [];
  for (const [name, re] of fieldPatterns(format)) {
    re.lastIndex = 0;
    const hit = re.exec(rest);
    if (hit) starts.push({ name, at: hit.index, value: hit.index + hit[0].length });
  }
  starts.sort((a, b) => a.at - b.at);
  const out = new Map<string, string>();
  starts.forEach((s, i) => out.set(s.name, rest.slice(s.value, starts[i + 1]?.at ?? rest.length).trim()));
  return out;
}

const patterns = new WeakMap<EventFormat, [string, RegExp][]>();

/** One pattern per field, made once per format: a trace holds hundreds of thousands of lines. */
function fieldPatterns(format: EventFormat): [string, RegExp][] {
  let p = patterns.get(format);
  if (!p) {
    const names = [...new Set([...format.fields, 'dev', 'reason'])];
    p = names.map((name) => [name, new RegExp(`(?:^| )${name}(=|: )`, 'g')]);
    patterns.set(format, p);
  }
  return p;
}

/** primary_key4 is four bytes in network order, printed as one little-endian number. */
function ipv4OfKey(key: number): string {
  const v = key >>> 0;
  return [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24].join('.');
}

/** `0xffff888…`, `ffff888…` and `(-1313…)` forms of one pointer compare equal. */
function normalizeAddress(v: string): string {
  const hex = /^(?:0x)?([0-9a-fA-F]+)/.exec(v)?.[1] ?? v;
  return hex.replace(/^0+(?=.)/, '').toLowerCase();
}
