import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FRAME, FrameReader, splitFrames } from '../frames.ts';
import { copyView as copy, dumpsOf } from '../../testing/iptablesNftDumps.ts';
import { decodeIptablesNft, type IptablesNftDumps } from './decodeIptablesNft.ts';
import { IptablesNftStream } from './iptablesNftStream.ts';

/** Recorded from real namespaces by scripts/record-iptables-nft.sh. */
const helperOutput = (name: string): Buffer =>
  readFileSync(new URL(`../../../fixtures/iptables-nft/${name}.helper.bin`, import.meta.url));

/** The dumps streamed buffer by buffer, then finished. */
function streamed(d: IptablesNftDumps): ReturnType<IptablesNftStream['finish']> {
  const stream = new IptablesNftStream(d.tables);
  for (const buf of d.rules) stream.push(buf);
  return stream.finish(d);
}

describe('iptables-nft rules decoded as the helper’s frames come', () => {
  it.each(['decoded', 'fallback', 'foreign-chain'])('give what decodeIptablesNft gives on %s', (name) => {
    const d = dumpsOf(splitFrames(helperOutput(name), 1)[0]!);
    expect(d.rules.length).toBeGreaterThan(0);
    expect(streamed(d)).toEqual(decodeIptablesNft(d));
  });

  it('give the same fallback for a changed ruleset, an interrupted dump and 200 corrupted ones', () => {
    const frames = splitFrames(helperOutput('decoded'), 1)[0]!;
    const [first, second] = frames.dumps.get(FRAME.nftGen)!;
    const rules = frames.dumps.get(FRAME.nftRules)!;
    const bumped = copy(second!);
    bumped.setUint32(24, bumped.getUint32(24, false) + 1, false);
    const flagged = rules.map(copy);
    flagged[0]!.setUint16(6, flagged[0]!.getUint16(6, true) | 0x10, true); // NLM_F_DUMP_INTR
    const changed = dumpsOf(frames, { gens: [first!, bumped] });
    expect(streamed(changed)).toEqual({ fallback: 'the ruleset changed while it was read' });
    expect(streamed(dumpsOf(frames, { rules: flagged }))).toEqual({ fallback: 'the rule dump was interrupted' });
    let seed = 11;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    let fallbacks = 0;
    for (let round = 0; round < 200; round++) {
      const bad = rules.map(copy);
      const v = bad[rand(bad.length)]!;
      for (let k = 0; k < 1 + rand(8); k++) v.setUint8(16 + rand(v.byteLength - 16), rand(256));
      const d = dumpsOf(frames, { rules: bad });
      const out = streamed(d);
      expect(out).toEqual(decodeIptablesNft(d));
      if (out && 'fallback' in out) fallbacks++;
    }
    expect(fallbacks).toBeGreaterThan(50);
  });

  it('say nothing for buffers that are not the dumps’ (the caller decodes those itself)', () => {
    const d = dumpsOf(splitFrames(helperOutput('decoded'), 1)[0]!);
    const stream = new IptablesNftStream(d.tables);
    for (const buf of d.rules.slice(1)) stream.push(buf);
    expect(stream.finish(d)).toBeUndefined();
    const other = new IptablesNftStream(['filter']);
    for (const buf of d.rules) other.push(buf);
    expect(other.finish(d)).toBeUndefined();
  });

  it('are handed over by the frame reader before their namespace is complete', () => {
    const out = helperOutput('decoded');
    const seen: string[] = [];
    const reader = new FrameReader(
      1,
      () => seen.push('namespace'),
      (_index, kind, body, frames) => {
        if (kind === FRAME.nftRules) seen.push(frames.dumps.get(kind)?.at(-1) === body ? 'rules' : 'not kept');
      },
    );
    // In small chunks, as a pipe gives them.
    for (let off = 0; off < out.byteLength; off += 4096) reader.push(out.subarray(off, off + 4096));
    reader.end();
    expect(seen.filter((s) => s === 'rules').length).toBeGreaterThan(0);
    expect(seen.at(-1)).toBe('namespace');
    expect(seen).not.toContain('not kept');
  });
});
