import type { TcAction, TcFilter } from '../schema/inventory.ts';
import type { U32Node } from '../schema/tcClassifier.ts';
import type { Frame } from '../trace/packet.ts';
import { frameBytes, type PacketBytes } from '../trace/packetBytes.ts';
import { runCbpf } from './cbpf.ts';
import { flowerMatches } from './flower.ts';
import { classifyU32 } from './u32.ts';
import { ETH_P_ALL, ethertypeOfPacket } from './ethertypes.ts';

/** What tc does with a frame at one hook of one device. */
export type TcVerdict =
  /** No filter took it, or the one that did let it go on (pass, pipe). */
  | { readonly kind: 'continue'; readonly filter?: TcFilter }
  | { readonly kind: 'redirect'; readonly filter: TcFilter; readonly action: Extract<TcAction, { targetDev: string }> }
  | { readonly kind: 'drop'; readonly filter: TcFilter; readonly why: string }
  | { readonly kind: 'unknown'; readonly filter: TcFilter | undefined; readonly why: string };

const MAX_GOTO = 16;

interface Tp {
  readonly chain: number;
  readonly pref: number;
  readonly protocol: number | undefined;
  readonly kind: string;
  readonly filters: TcFilter[];
}

/**
 * `tcf_classify` over a device's filters at one hook: classifiers by chain and preference, each
 * only for its protocol; the first that matches runs its actions (`tcf_exts_exec`): a redirect
 * takes the frame, gact's drop drops it, pass ends classification, continue tries the next
 * filter, goto chain starts that chain. A classifier or action hoplens cannot evaluate (an eBPF
 * program, a flower key it does not read) makes the verdict unknown, naming the filter.
 */
export function tcClassify(
  filters: readonly TcFilter[],
  frame: Frame,
  dev: { readonly name: string; readonly ingress: boolean },
): TcVerdict {
  if (filters.length === 0) return { kind: 'continue' };
  const tps = groupTps(filters);
  const tables = u32Tables(filters);
  let bytes: PacketBytes | undefined;
  const bytesOf = (): PacketBytes => (bytes ??= frameBytes(frame));
  const ethertype = ethertypeOfPacket(frame.packet);
  let chain = 0;
  for (let hops = 0; hops <= MAX_GOTO; hops++) {
    let next: number | undefined;
    for (const tp of tps) {
      if (tp.chain !== chain) continue;
      if (tp.protocol !== undefined && tp.protocol !== ETH_P_ALL && tp.protocol !== ethertype) continue;
      const hit = classify(tp, tables, frame, bytesOf, dev);
      if (hit === 'none') continue;
      if ('unknown' in hit) return { kind: 'unknown', filter: hit.filter, why: hit.unknown };
      const r = runActions(hit.filter, dev);
      if (r === 'continue') continue;
      if (typeof r === 'object' && 'goto' in r) {
        next = r.goto;
        break;
      }
      return r;
    }
    if (next === undefined) return { kind: 'continue' };
    // A chain without collected filters: what the kernel does there (an empty chain, a chain
    // restored from an offload cookie) is not told by the snapshot.
    const target = next;
    if (!tps.some((tp) => tp.chain === target))
      return { kind: 'unknown', filter: undefined, why: `goto chain ${target}, which holds no collected filter` };
    chain = next;
  }
  return { kind: 'unknown', filter: undefined, why: `goto chain loops more than ${MAX_GOTO} times` };
}

type Hit = { readonly filter: TcFilter } | 'none' | { readonly filter: TcFilter; readonly unknown: string };

function classify(
  tp: Tp,
  tables: ReturnType<typeof u32Tables>,
  frame: Frame,
  bytesOf: () => PacketBytes,
  dev: { readonly name: string; readonly ingress: boolean },
): Hit {
  const first = tp.filters[0]!;
  for (const f of tp.filters) {
    const c = f.classifier;
    // Snapshots taken before classifiers were collected know only whether a filter matches everything.
    if (!c) {
      if (f.matchesAll) return { filter: f };
      return { filter: f, unknown: `its ${f.kind} classifier's data was not collected` };
    }
  }
  const c = first.classifier!;
  switch (c.kind) {
    case 'u32': {
      const root = u32Root(tp);
      if (root === undefined) return 'none';
      const r = classifyU32(root, tables.tables, bytesOf());
      if (r === 'none') return 'none';
      if ('unknown' in r) return { filter: first, unknown: r.unknown };
      return { filter: tables.filterOf.get(r.node) ?? first };
    }
    case 'bpf': {
      if (!c.ops) {
        const prog = `eBPF program${c.name ? ` ${c.name}` : ''} (id ${c.progId ?? '?'}, tag ${c.tag ?? '?'})`;
        return { filter: first, unknown: `${prog} cannot be evaluated by hoplens` };
      }
      const p = frame.packet;
      const r = runCbpf(c.ops, bytesOf(), {
        protocol: ethertypeOfPacket(p),
        pktType: 0,
        mark: p.kind === 'ip' ? p.mark : 0,
      });
      if ('unknown' in r) return { filter: first, unknown: `classic BPF: ${r.unknown}` };
      return r.value === 0 ? 'none' : { filter: first };
    }
    case 'flower': {
      const r = flowerMatches(c, frame, dev);
      if (r === false) return 'none';
      if (r === true) return { filter: first };
      return { filter: first, unknown: r.unknown };
    }
    case 'matchall':
      return { filter: first };
    case 'basic':
      return c.ematches ? { filter: first, unknown: 'basic ematches are not evaluated by hoplens' } : { filter: first };
    default:
      return { filter: first, unknown: `the ${c.name} classifier is not evaluated by hoplens` };
  }
}

/** `tcf_exts_exec`: actions in order; each pipes to the next or ends with its control. */
function runActions(f: TcFilter, dev: { readonly name: string }): TcVerdict | 'continue' | { goto: number } {
  // A classifying filter without actions returns TC_ACT_OK: the frame goes on, classification ends.
  if (f.actions.length === 0)
    return f.classifier?.kind === 'bpf' && f.classifier.directAction ? 'continue' : { kind: 'continue', filter: f };
  for (const a of f.actions) {
    if (a.kind === 'mirred' && 'targetDev' in a) {
      if (a.action === 'mirror') continue;
      if (a.control !== undefined && a.control !== 'stolen') {
        return { kind: 'unknown', filter: f, why: `a mirred redirect with control ${a.control}` };
      }
      return { kind: 'redirect', filter: f, action: a };
    }
    if (a.kind === 'gact' && 'control' in a) {
      if (a.random)
        return { kind: 'unknown', filter: f, why: `gact ${a.random.type} ${a.random.control} (a random choice)` };
      switch (a.control) {
        case 'pipe':
          continue;
        case 'drop':
          return { kind: 'drop', filter: f, why: `gact drop on ${dev.name}` };
        case 'pass':
          return { kind: 'continue', filter: f };
        case 'continue':
          return 'continue';
        case 'goto':
          return a.chain === undefined
            ? { kind: 'unknown', filter: f, why: 'goto chain without a chain' }
            : { goto: a.chain };
        default:
          return { kind: 'unknown', filter: f, why: `the gact control ${a.control} is not evaluated by hoplens` };
      }
    }
    return { kind: 'unknown', filter: f, why: `the ${a.kind} action is not evaluated by hoplens` };
  }
  // Every action piped: TC_ACT_PIPE reaches the hook, which lets the frame go on.
  return { kind: 'continue', filter: f };
}

/** Filters grouped by classifier instance (chain, preference, protocol), in the kernel's order. */
function groupTps(filters: readonly TcFilter[]): Tp[] {
  const byKey = new Map<string, Tp>();
  for (const f of filters) {
    const key = `${f.chain ?? 0}|${f.pref}|${f.protocol ?? 'all'}`;
    let tp = byKey.get(key);
    if (!tp)
      byKey.set(key, (tp = { chain: f.chain ?? 0, pref: f.pref, protocol: f.protocol, kind: f.kind, filters: [] }));
    tp.filters.push(f);
  }
  return [...byKey.values()].sort((a, b) => a.chain - b.chain || a.pref - b.pref);
}

/** A u32 instance's root table: the first one the kernel made for it (ids from 0x800 up). */
function u32Root(tp: Tp): number | undefined {
  const ids = tp.filters.flatMap((f) =>
    f.classifier?.kind === 'u32' && f.classifier.divisor !== undefined && f.classifier.ht >= 0x800
      ? [f.classifier.ht]
      : [],
  );
  if (ids.length > 0) return Math.min(...ids);
  // Older collections listed no table headers: the nodes' own table.
  const nodes = tp.filters.flatMap((f) => (f.classifier?.kind === 'u32' ? [f.classifier.ht] : []));
  return nodes.length > 0 ? Math.min(...nodes) : undefined;
}

/** Every u32 table of the hook (links cross preferences): its divisor and nodes in node order. */
function u32Tables(filters: readonly TcFilter[]): {
  tables: Map<number, { divisor: number; nodes: U32Node[] }>;
  filterOf: Map<U32Node, TcFilter>;
} {
  const tables = new Map<number, { divisor: number; nodes: U32Node[] }>();
  const filterOf = new Map<U32Node, TcFilter>();
  for (const f of filters) {
    const c = f.classifier;
    if (c?.kind !== 'u32') continue;
    let t = tables.get(c.ht);
    if (!t) tables.set(c.ht, (t = { divisor: 1, nodes: [] }));
    if (c.divisor !== undefined) t.divisor = Math.max(1, c.divisor);
    else {
      t.nodes.push(c);
      filterOf.set(c, f);
    }
  }
  for (const t of tables.values()) t.nodes.sort((a, b) => a.node - b.node);
  return { tables, filterOf };
}
