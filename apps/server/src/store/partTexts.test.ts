import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inflatedSize, partTexts } from './partTexts.ts';

/** Parts as the store keeps them: gzipped JSON by blob id. */
const stored = (texts: readonly string[]): Map<number, Uint8Array> =>
  new Map(texts.map((t, i) => [i + 1, new Uint8Array(gzipSync(t))]));

/** Enough parts for several batches, some with characters of two to four UTF-8 bytes at their edges. */
const texts = Array.from({ length: 400 }, (_, i) =>
  JSON.stringify({ name: `é-host-${i}`, pad: 'x'.repeat(1000 + ((i * 7919) % 3000)), last: i % 3 ? '😀' : 'ü' }),
);

describe('partTexts', () => {
  it('gives every part the text gunzip gives it alone, across batches and multi-byte characters', () => {
    const blobs = stored(texts);
    const text = partTexts([...blobs.keys()], blobs);
    for (const [id, gz] of blobs) expect(text(id)).toBe(gunzipSync(gz).toString('utf8'));
  });

  it('gives a part asked for twice (a host shape two hosts share) twice, also after its batch is gone', () => {
    const blobs = stored(texts);
    const order = [1, 2, 1, ...blobs.keys(), 1];
    const text = partTexts(order, blobs);
    expect(order.map(text)).toEqual(order.map((id) => texts[id - 1]));
  });

  it('gives nothing for a part that is not stored, and still the others', () => {
    const blobs = stored(texts.slice(0, 3));
    const text = partTexts([1, 9, 2, 3], blobs);
    expect([1, 9, 2, 3].map(text)).toEqual([texts[0], undefined, texts[1], texts[2]]);
  });

  it('refuses a part whose stored length lies, never cutting its neighbours at the wrong place', () => {
    const blobs = stored(texts.slice(0, 5));
    const lying = new Uint8Array(blobs.get(2)!);
    new DataView(lying.buffer).setUint32(lying.byteLength - 4, inflatedSize(lying) + 3, true);
    blobs.set(2, lying);
    const text = partTexts([...blobs.keys()], blobs);
    expect(() => text(1)).toThrow(/length/);
  });

  it('refuses a part whose trailer claims 4 GiB (the size its batch asks zlib for), as reading it alone does', () => {
    const blobs = stored(texts.slice(0, 5));
    const lying = new Uint8Array(blobs.get(3)!);
    new DataView(lying.buffer).setUint32(lying.byteLength - 4, 0xfffffff0, true);
    blobs.set(3, lying);
    const text = partTexts([...blobs.keys()], blobs);
    expect(() => text(1)).toThrow(/length/);
  });

  it('refuses a damaged part with zlib’s own error, as reading it alone does', () => {
    const blobs = stored(texts.slice(0, 5));
    const damaged = new Uint8Array(blobs.get(4)!);
    damaged[20] = damaged[20]! ^ 0xff;
    blobs.set(4, damaged);
    let alone = '';
    try {
      gunzipSync(damaged);
    } catch (e) {
      alone = (e as Error).message;
    }
    expect(alone).not.toBe('');
    expect(() => partTexts([...blobs.keys()], blobs)(1)).toThrow(alone);
  });

  it('refuses a part followed by bytes that are not gzip, as gunzip alone does', () => {
    const blobs = stored(texts.slice(0, 3));
    blobs.set(2, new Uint8Array([...blobs.get(2)!, 1, 2, 3, 4, 5, 6, 7, 8]));
    expect(() => gunzipSync(blobs.get(2)!)).toThrow(/incorrect header check/);
    expect(() => partTexts([...blobs.keys()], blobs)(1)).toThrow(/incorrect header check/);
  });
});
