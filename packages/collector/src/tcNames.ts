/**
 * tc's notation for what the kernel reports as numbers, so that both backends (netlink numbers,
 * `tc -j` names) land on the same values: ethertypes, action controls, u32 handles, classids.
 */

export { ethertypeOf } from '@hoplens/model';

const TC_ACT_EXT_SHIFT = 28;
const TC_ACT_EXT_VAL_MASK = (1 << TC_ACT_EXT_SHIFT) - 1;
const TC_ACT_JUMP = 1 << TC_ACT_EXT_SHIFT;
const TC_ACT_GOTO_CHAIN = 2 << TC_ACT_EXT_SHIFT;
const CONTROLS: Record<number, string> = {
  [-1]: 'continue',
  0: 'pass',
  1: 'reclassify',
  2: 'drop',
  3: 'pipe',
  4: 'stolen',
  8: 'trap',
};

/** An action's control (`TC_ACT_*`) named as tc prints it, with the chain of a `goto chain`. */
export function controlName(action: number): { control: string; chain?: number } {
  const ext = action & ~TC_ACT_EXT_VAL_MASK;
  if (ext === TC_ACT_GOTO_CHAIN) return { control: 'goto', chain: action & TC_ACT_EXT_VAL_MASK };
  if (ext === TC_ACT_JUMP) return { control: 'jump' };
  return { control: CONTROLS[action] ?? String(action) };
}

/** A u32 handle as tc prints it: `800:` (a table), `800::800`, `2:5:800`. */
export function u32HandleText(handle: number): string {
  const htid = handle >>> 20;
  const hash = (handle >>> 12) & 0xff;
  const node = handle & 0xfff;
  if (handle === 0) return 'none';
  let out = htid ? `${htid.toString(16)}:` : '';
  if (hash) out += hash.toString(16);
  if (node) out += `:${node.toString(16)}`;
  return out;
}

/** The parts of a u32 handle as tc prints it (`2:5:800` → table 2, bucket 5, node 0x800). */
export function u32HandleParts(text: string): { ht: number; bucket: number; node: number } | undefined {
  const m = /^([0-9a-f]{0,3}):([0-9a-f]{0,2})(?::([0-9a-f]{0,3}))?$/i.exec(text);
  if (!m) return undefined;
  const hex = (s: string | undefined): number => (s ? Number.parseInt(s, 16) : 0);
  return { ht: hex(m[1]), bucket: hex(m[2]), node: hex(m[3]) };
}

/** A classid as tc prints it (`1:10`, `root`, `none`). */
export function classidText(h: number): string {
  if (h === 0xffffffff) return 'root';
  if (h === 0) return 'none';
  const major = h >>> 16;
  const minor = h & 0xffff;
  if (major === 0) return `:${minor.toString(16)}`;
  if (minor === 0) return `${major.toString(16)}:`;
  return `${major.toString(16)}:${minor.toString(16)}`;
}
