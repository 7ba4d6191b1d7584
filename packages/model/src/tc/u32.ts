import type { U32Node } from '../schema/tcClassifier.ts';
import { knownMaskAt, wordAt, type PacketBytes } from '../trace/packetBytes.ts';

/** The node that classified the packet, no match, or why it cannot be told. */
export type U32Result = { readonly node: U32Node } | 'none' | { readonly unknown: string };

/** TC_U32_MAXDEPTH: links nest no deeper. */
const MAX_DEPTH = 8;

/**
 * u32 classification (`u32_classify`) from a table: its bucket's nodes in node order; a node
 * matches when every key's word at `off` bytes from the network header (plus the offset a link
 * computed, for `nexthdr` keys) equals its value under its mask. A matching node with a link
 * descends into the linked table's bucket (chosen by the hash key's bits, folded by the table's
 * divisor); back from it without a classification, or without a link, a terminal node classifies.
 * A read past the packet ends the whole classification without a match, as the kernel's does.
 * `tables` are every u32 table of the device's hook, by id (links may cross preferences).
 */
export function classifyU32(
  root: number,
  tables: ReadonlyMap<number, { divisor: number; nodes: readonly U32Node[] }>,
  b: PacketBytes,
): U32Result {
  return walk(root, 0, 0, 0, tables, b, 0);
}

function walk(
  ht: number,
  bucket: number,
  off: number,
  off2: number,
  tables: ReadonlyMap<number, { divisor: number; nodes: readonly U32Node[] }>,
  b: PacketBytes,
  depth: number,
): U32Result {
  const table = tables.get(ht);
  if (!table) return 'none';
  for (const n of table.nodes) {
    if (n.bucket !== bucket) continue;
    if (n.indev !== undefined || n.fwmark !== undefined)
      return {
        unknown: `u32 node ${n.handle} matches on ${n.indev !== undefined ? 'the input device' : 'the firewall mark'}`,
      };
    let match = true;
    for (const k of n.keys) {
      const at = b.l3 + off + k.off + (k.nexthdr ? off2 : 0);
      const word = wordAt(b, at, 4);
      if (word === 'absent') return 'none';
      if (word === 'unknown') {
        const known = (knownMaskAt(b, at, 4) & k.mask) >>> 0;
        const raw = wordKnownPart(b, at);
        if (((raw ^ k.value) & known) >>> 0 !== 0) {
          match = false;
          break;
        }
        if (known !== k.mask >>> 0)
          return { unknown: `u32 node ${n.handle} compares bytes hoplens cannot know (at ${k.off})` };
        continue;
      }
      if (((word ^ k.value) & k.mask) >>> 0 !== 0) {
        match = false;
        break;
      }
    }
    if (!match) continue;
    if (n.link !== undefined) {
      if (depth + 1 > MAX_DEPTH) return { unknown: `u32 links nest deeper than ${MAX_DEPTH}` };
      const linked = tables.get(n.link);
      let sel = 0;
      if (linked && linked.divisor > 1) {
        const at = b.l3 + off + (n.hashOff ?? 0);
        const key = wordAt(b, at, 4);
        if (key === 'absent') return 'none';
        const mask = n.hashMask ?? 0;
        if (key === 'unknown' && (knownMaskAt(b, at, 4) & mask) >>> 0 !== mask >>> 0) {
          return { unknown: `u32 node ${n.handle} hashes bytes hoplens cannot know` };
        }
        const value = key === 'unknown' ? wordKnownPart(b, at) : key;
        sel = fold(value, mask) & (linked.divisor - 1);
      }
      if (n.offset?.at !== undefined || n.offset?.mask !== undefined) {
        return { unknown: `u32 node ${n.handle} computes a variable header offset` };
      }
      // Without an offset, nexthdr keys below keep the offset the outer link computed.
      const next = n.offset ? (n.offset.plus + 3) & ~3 : off2;
      const inner = walk(n.link, sel, off, next, tables, b, depth + 1);
      if (inner !== 'none') return inner;
    }
    if (n.terminal) return { node: n };
  }
  return 'none';
}

/** `u32_hash_fold`: the key's masked bits shifted down to the mask's lowest bit. */
function fold(key: number, mask: number): number {
  if (mask === 0) return 0;
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  return ((key & mask) >>> 0) >>> shift;
}

/** The known bits of a word (unknown bytes read as 0). */
function wordKnownPart(b: PacketBytes, at: number): number {
  let v = 0;
  for (let i = 0; i < 4; i++) v = v * 256 + (at + i < b.data.length && b.known[at + i] ? b.data[at + i]! : 0);
  return v >>> 0;
}
