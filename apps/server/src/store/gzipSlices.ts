import { gzipSync } from 'node:zlib';

/**
 * Gzips each slice of `bytes` (slice i ends at `ends[i]`) into ONE buffer, one gzip member after
 * another: the buffer and where each member ends. One buffer, so a thread can hand it over whole
 * (each gzip's own output sits in a chunk of 16 KiB or more: posted as is, every chunk would be
 * copied whole, 400 MB of copies for a 5,000-node snapshot).
 */
export function gzipSlices(
  slices: number,
  slice: (i: number) => Uint8Array | string,
): { readonly gz: Uint8Array; readonly ends: Float64Array } {
  let buffer = new Uint8Array(1 << 20);
  let used = 0;
  const ends = new Float64Array(slices);
  for (let i = 0; i < slices; i++) {
    const gz = gzipSync(slice(i));
    if (used + gz.byteLength > buffer.byteLength) {
      const grown = new Uint8Array(Math.max(buffer.byteLength * 2, used + gz.byteLength));
      grown.set(buffer.subarray(0, used));
      buffer = grown;
    }
    buffer.set(gz, used);
    used += gz.byteLength;
    ends[i] = used;
  }
  return { gz: buffer.slice(0, used), ends };
}
