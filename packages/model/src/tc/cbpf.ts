import type { CbpfInsn } from '../schema/tcClassifier.ts';
import { byteAt, type PacketBytes } from '../trace/packetBytes.ts';

/** What a classic BPF program returns for a packet, or why that cannot be told. */
export type CbpfResult = { readonly value: number } | { readonly unknown: string };

/** What an ancillary load (`ld proto`, `ld pkttype`, …) reads; undefined where hoplens does not know it. */
export interface CbpfContext {
  readonly protocol: number;
  readonly pktType: number;
  readonly mark: number;
}

const MAX_INSNS = 4096;
/** Paths an unknown branch may open before the answer is unknown. */
const MAX_PATHS = 256;
const SKF_AD_OFF = -0x1000;
const SKF_NET_OFF = -0x100000;
const SKF_LL_OFF = -0x200000;

/** A register: a 32-bit value, or unknown (it came from bytes the tracer cannot know). */
type Reg = number | undefined;

interface State {
  pc: number;
  a: Reg;
  x: Reg;
  mem: Reg[];
}

/**
 * Runs classic BPF bytecode (`struct sock_filter[]`, as cls_bpf and tcpdump -dd write it) on a
 * frame's bytes, from its Ethernet header (where cls_bpf starts, at ingress and egress). Loads past
 * the packet end the program with 0, as the kernel does; a load of a byte the tracer cannot know
 * makes the register unknown, and a jump on it is followed both ways: the result stands if every
 * path agrees on match (non-zero) or no match (zero). Refuses bytecode the kernel would (a jump out
 * of the program, no return at the end).
 */
export function runCbpf(ops: readonly CbpfInsn[], bytes: PacketBytes, ctx: CbpfContext): CbpfResult {
  const invalid = validate(ops);
  if (invalid) return { unknown: `invalid classic BPF: ${invalid}` };
  const results = new Set<boolean>();
  const paths: State[] = [{ pc: 0, a: 0, x: 0, mem: new Array<Reg>(16).fill(0) }];
  let opened = 1;
  let last = 0;
  while (paths.length > 0) {
    const s = paths.pop()!;
    for (;;) {
      const i = ops[s.pc]!;
      const cls = i.code & 0x07;
      const r = step(i, cls, s, bytes, ctx);
      if (r === 'next') {
        s.pc++;
        continue;
      }
      if (typeof r === 'object' && 'ret' in r) {
        if (r.ret === undefined) return { unknown: 'it returns a value computed from bytes hoplens cannot know' };
        results.add(r.ret !== 0);
        last = r.ret;
        break;
      }
      if (typeof r === 'object' && 'unknown' in r) return r;
      // A conditional jump: [taken, not taken], or both when the comparison is unknown.
      const [t, f] = r;
      if (t !== undefined && f !== undefined) {
        if (++opened > MAX_PATHS) return { unknown: `more than ${MAX_PATHS} paths through bytes hoplens cannot know` };
        paths.push({ ...s, mem: [...s.mem], pc: f });
        s.pc = t;
      } else s.pc = (t ?? f)!;
    }
  }
  if (results.size > 1) return { unknown: 'whether it matches depends on bytes hoplens cannot know' };
  return { value: results.has(true) ? (last === 0 ? 1 : last) : 0 };
}

type StepResult = 'next' | { ret: number | undefined } | { unknown: string } | [number | undefined, number | undefined];

function step(i: CbpfInsn, cls: number, s: State, b: PacketBytes, ctx: CbpfContext): StepResult {
  const k = i.k >>> 0;
  const size = i.code & 0x18;
  const mode = i.code & 0xe0;
  const src = i.code & 0x08;
  switch (cls) {
    case 0x00: // LD
    case 0x01: {
      // LDX
      let v: Reg | 'absent';
      if (mode === 0x00) v = k;
      else if (mode === 0x80) v = b.length;
      else if (mode === 0x60) v = s.mem[k & 15];
      else if (cls === 0x01 && mode === 0xa0) {
        const byte = load(b, k | 0, 1, ctx);
        if (typeof byte === 'object') return byte;
        v = byte === 'absent' ? 'absent' : byte === undefined ? undefined : (byte & 0x0f) * 4;
      } else if (mode === 0x20 || mode === 0x40) {
        const n = size === 0x00 ? 4 : size === 0x08 ? 2 : 1;
        if (mode === 0x40 && s.x === undefined) v = undefined;
        else {
          const off = mode === 0x20 ? k | 0 : (s.x! + k) | 0;
          const r = load(b, off, n, ctx);
          if (typeof r === 'object') return r;
          v = r;
        }
      } else return { unknown: `the classic BPF load 0x${i.code.toString(16)} is not evaluated` };
      if (v === 'absent') return { ret: 0 };
      if (cls === 0x00) s.a = v;
      else s.x = v;
      return 'next';
    }
    case 0x02:
      s.mem[k & 15] = s.a;
      return 'next';
    case 0x03:
      s.mem[k & 15] = s.x;
      return 'next';
    case 0x04: {
      const op = i.code & 0xf0;
      const y = src ? s.x : k;
      if (op === 0x80) s.a = s.a === undefined ? undefined : -s.a >>> 0;
      else if (s.a === undefined || y === undefined) s.a = undefined;
      else {
        if ((op === 0x30 || op === 0x90) && y === 0) return { ret: 0 };
        s.a = alu(op, s.a, y);
        if (s.a === undefined) return { unknown: `the classic BPF ALU op 0x${op.toString(16)} is not known` };
      }
      return 'next';
    }
    case 0x05: {
      const op = i.code & 0xf0;
      if (op === 0x00) return [s.pc + 1 + k, undefined];
      const y = src ? s.x : k;
      const t = s.pc + 1 + i.jt;
      const f = s.pc + 1 + i.jf;
      if (s.a === undefined || y === undefined) return t === f ? [t, undefined] : [t, f];
      const a = s.a >>> 0;
      const yy = y >>> 0;
      const taken =
        op === 0x10
          ? a === yy
          : op === 0x20
            ? a > yy
            : op === 0x30
              ? a >= yy
              : op === 0x40
                ? (a & yy) !== 0
                : undefined;
      if (taken === undefined) return { unknown: `the classic BPF jump 0x${op.toString(16)} is not known` };
      return taken ? [t, undefined] : [undefined, f];
    }
    case 0x06: {
      const rv = i.code & 0x18;
      return { ret: rv === 0x10 ? s.a : rv === 0x08 ? s.x : k };
    }
    default: {
      // MISC: TAX / TXA
      if ((i.code & 0xf8) === 0x00) s.x = s.a;
      else s.a = s.x;
      return 'next';
    }
  }
}

function alu(op: number, a: number, y: number): number | undefined {
  switch (op) {
    case 0x00:
      return (a + y) >>> 0;
    case 0x10:
      return (a - y) >>> 0;
    case 0x20:
      return Math.imul(a, y) >>> 0;
    case 0x30:
      return Math.floor((a >>> 0) / (y >>> 0)) >>> 0;
    case 0x40:
      return (a | y) >>> 0;
    case 0x50:
      return (a & y) >>> 0;
    case 0x60:
      return y >= 32 ? 0 : (a << y) >>> 0;
    case 0x70:
      return y >= 32 ? 0 : a >>> y;
    case 0x90:
      return (a >>> 0) % (y >>> 0);
    case 0xa0:
      return (a ^ y) >>> 0;
    default:
      return undefined;
  }
}

/** A big-endian load at a packet offset (or an ancillary / network- / link-relative one). */
function load(
  b: PacketBytes,
  off: number,
  n: number,
  ctx: CbpfContext,
): number | undefined | 'absent' | { unknown: string } {
  if (off >= SKF_AD_OFF && off < 0) {
    const ad = off - SKF_AD_OFF;
    if (ad === 0) return ctx.protocol;
    if (ad === 4) return ctx.pktType;
    if (ad === 20) return ctx.mark;
    return { unknown: `the classic BPF ancillary load at SKF_AD_OFF+${ad} is not evaluated` };
  }
  let at = off;
  if (off < SKF_AD_OFF) at = off >= SKF_NET_OFF ? off - SKF_NET_OFF + b.l3 : off >= SKF_LL_OFF ? off - SKF_LL_OFF : -1;
  let v = 0;
  let unknown = false;
  for (let j = 0; j < n; j++) {
    const x = byteAt(b, at + j);
    if (x === 'absent') return 'absent';
    if (x === 'unknown') unknown = true;
    else v = v * 256 + x;
  }
  return unknown ? undefined : v >>> 0;
}

/** What the kernel's `bpf_check_classic` refuses. */
function validate(ops: readonly CbpfInsn[]): string | undefined {
  if (ops.length === 0 || ops.length > MAX_INSNS) return `${ops.length} instructions`;
  for (const [pc, i] of ops.entries()) {
    if ((i.code & 0x07) !== 0x05) continue;
    const op = i.code & 0xf0;
    const targets = op === 0x00 ? [pc + 1 + i.k] : [pc + 1 + i.jt, pc + 1 + i.jf];
    if (targets.some((t) => t >= ops.length)) return `instruction ${pc} jumps out of the program`;
  }
  if ((ops[ops.length - 1]!.code & 0x07) !== 0x06) return 'the last instruction is not a return';
  return undefined;
}
