import { describe, expect, it } from 'vitest';
import { RunOutput } from './servedHelper.ts';

const frame = (ns: number, kind: number, body: Buffer): Buffer => {
  const h = Buffer.alloc(12);
  h.writeUInt32LE(ns, 0);
  h.writeUInt32LE(kind, 4);
  h.writeUInt32LE(body.byteLength, 8);
  return Buffer.concat([h, body]);
};
const status = (code: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(code);
  return frame(0xffffffff, 28, b);
};

/** A run's frames: empty bodies, bodies that look like end headers, a namespace index of 0xffffffff. */
const frames = Buffer.concat([
  frame(0, 1, Buffer.alloc(40, 7)),
  frame(0, 28, Buffer.alloc(0)),
  frame(1, 14, status(5)),
  frame(0xffffffff, 99, Buffer.from('not an end')),
  frame(2, 22, Buffer.alloc(3, 1)),
]);

/** Feeds `out` cut at `cuts`; what was passed on and the status, chunk by chunk. */
function feed(out: Buffer, cuts: number[]): { passed: Buffer; statuses: (number | undefined)[] } {
  const r = new RunOutput();
  const parts: Buffer[] = [];
  const statuses: (number | undefined)[] = [];
  let from = 0;
  for (const to of [...cuts, out.byteLength]) {
    statuses.push(r.push(out.subarray(from, to), (p) => parts.push(p)));
    from = to;
  }
  return { passed: Buffer.concat(parts), statuses };
}

describe('a served run’s output', () => {
  it('passes on every frame before the end and gives the run’s status, wherever the chunks are cut', () => {
    const out = Buffer.concat([frames, status(3)]);
    for (let a = 0; a <= out.byteLength; a++) {
      for (const b of [a, a + 1, a + 5, a + 13, out.byteLength - 2]) {
        if (b < a || b > out.byteLength) continue;
        const { passed, statuses } = feed(out, [a, b]);
        expect(passed.equals(frames)).toBe(true);
        // Said once, by the chunk that holds the end's last byte (an empty chunk may follow).
        expect(statuses.filter((s) => s !== undefined)).toEqual([3]);
        expect(statuses.indexOf(3)).toBe(b < out.byteLength ? 2 : a < out.byteLength ? 1 : 0);
      }
    }
  });

  it('reads runs one after another', () => {
    const r = new RunOutput();
    const parts: Buffer[] = [];
    expect(r.push(Buffer.concat([frames, status(0)]), (p) => parts.push(p))).toBe(0);
    expect(r.push(Buffer.concat([frames, status(1)]), (p) => parts.push(p))).toBe(1);
    expect(Buffer.concat(parts).equals(Buffer.concat([frames, frames]))).toBe(true);
  });

  it('refuses output after the end and an end that is not four bytes', () => {
    expect(() => feed(Buffer.concat([frames, status(0), frame(0, 1, Buffer.alloc(1))]), [])).toThrow(/after the end/);
    expect(() => feed(Buffer.concat([frames, frame(0xffffffff, 28, Buffer.alloc(8))]), [])).toThrow(/malformed end/);
  });
});
