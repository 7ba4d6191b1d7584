import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseIptablesSave } from '../../netfilter/parseIptablesSave.ts';
import { decodeHelperOutput } from '../collectNetlink.ts';
import { FRAME, splitFrames, type NetnsFrames } from '../frames.ts';
import { copyView as copy, dumpsOf } from '../../testing/iptablesNftDumps.ts';
import { decodeIptablesNft } from './decodeIptablesNft.ts';
import { probability } from './xtExtensions.ts';

/** Recorded from real namespaces by scripts/record-iptables-nft.sh. */
const fixture = (name: string): { frames: NetnsFrames; helper: Buffer; save: string } => {
  const dir = new URL('../../../fixtures/iptables-nft/', import.meta.url);
  const helper = readFileSync(new URL(`${name}.helper.bin`, dir));
  return { frames: splitFrames(helper, 1)[0]!, helper, save: readFileSync(new URL(`${name}.save.txt`, dir), 'utf8') };
};

/** The netlink messages of a dump buffer, each as its own bytes. */
function messageBytes(v: DataView): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let off = 0; off + 16 <= v.byteLength;) {
    const len = v.getUint32(off, true);
    out.push(new Uint8Array(v.buffer, v.byteOffset + off, len));
    off += (len + 3) & ~3;
  }
  return out;
}

describe('iptables-nft rules decoded from the kernel’s netlink answers', () => {
  it('give exactly what iptables-nft-save -c printed for the same namespace, counters included', () => {
    const { frames, save } = fixture('decoded');
    const decoded = decodeIptablesNft(dumpsOf(frames));
    expect(decoded).toEqual(parseIptablesSave(save, 'ipv4', 'nft'));
    if ('fallback' in decoded) throw new Error(decoded.fallback);
    // Every extension and native match the recording was made to hold is in it.
    const text = decoded.tables.flatMap((t) => t.rules.map((r) => r.args.join(' '))).join('\n');
    for (const part of [
      '-j NOTRACK',
      '-j CT --notrack',
      '--mode nth',
      '! --probability',
      '-j MARK --set-xmark',
      '-m state --state INVALID,UNTRACKED',
      '! --icmp-type 3/4',
      '--reject-with tcp-reset',
      '192.168.0.0/255.0.255.255'.replace('0.255.255', '255.0.255'),
      '! -i eth+',
      '-g KUBE-SERVICES',
      '! -p udp',
      '--limit-iface-in',
      '--to-source 192.0.2.1-192.0.2.9:1000-2000 --persistent',
      '--to-ports 3000-4000 --random',
      '--random-fully',
      '--to-destination 10.96.0.4-10.96.0.8',
      '! --sport 53 ! --dport 54',
      'a "quoted" $(rm -rf /) \\ comment',
      '--dports 80,443,8000:8080',
      '! --sports 53',
    ])
      expect(text).toContain(part);
  });

  it('fall back to iptables-nft-save for an expression they do not know, naming it', () => {
    const { frames } = fixture('fallback');
    expect(decodeIptablesNft(dumpsOf(frames))).toEqual({ fallback: 'filter INPUT: expression limit' });
  });

  it('fall back for a base chain iptables-nft did not make (nft’s own, at another priority)', () => {
    const { frames, save } = fixture('foreign-chain');
    // iptables-nft-save itself only warns, and shows the chain empty.
    expect(save).toContain("# Table `filter' contains incompatible base-chains");
    expect(decodeIptablesNft(dumpsOf(frames))).toEqual({
      fallback: 'filter INPUT: a base chain iptables-nft did not make',
    });
  });

  it('are handed to the firewall collection only where they decode', () => {
    const jobs = [{ name: 'hl-test', root: false }];
    const [decoded] = decodeHelperOutput(fixture('decoded').helper, jobs);
    const [fallback] = decodeHelperOutput(fixture('fallback').helper, jobs);
    if (!decoded || 'error' in decoded || !fallback || 'error' in fallback) throw new Error('no namespace');
    expect(decoded.netfilter?.ipv4Nft?.tables.map((t) => t.name)).toEqual(['mangle', 'raw', 'filter', 'nat']);
    expect(fallback.netfilter).toBeDefined();
    expect(fallback.netfilter?.ipv4Nft).toBeUndefined();
    expect(fallback.errors).toEqual([]);
  });

  it('are not trusted when the ruleset changed between the chain and the rule dumps', () => {
    const { frames } = fixture('decoded');
    const [first, second] = frames.dumps.get(FRAME.nftGen)!;
    expect(first).toBeDefined();
    const bumped = copy(second!);
    // NFTA_GEN_ID is the first attribute after the 16-byte header and the 4-byte nfgenmsg.
    bumped.setUint32(24, bumped.getUint32(24, false) + 1, false);
    expect(decodeIptablesNft(dumpsOf(frames, { gens: [first!, bumped] }))).toEqual({
      fallback: 'the ruleset changed while it was read',
    });
    expect(decodeIptablesNft(dumpsOf(frames, { gens: [first!] }))).toEqual({
      fallback: 'the ruleset changed while it was read',
    });
  });

  it('are not trusted when the kernel flagged the dump as interrupted or it ended early', () => {
    const { frames } = fixture('decoded');
    const rules = frames.dumps.get(FRAME.nftRules)!;
    const flagged = rules.map(copy);
    flagged[0]!.setUint16(6, flagged[0]!.getUint16(6, true) | 0x10, true); // NLM_F_DUMP_INTR
    expect(decodeIptablesNft(dumpsOf(frames, { rules: flagged }))).toEqual({
      fallback: 'the rule dump was interrupted',
    });
    // Whole messages, but not the NLMSG_DONE that ends the dump.
    const last = rules.at(-1)!;
    const messages = messageBytes(last);
    const cut = new DataView(last.buffer, last.byteOffset, last.byteLength - messages.at(-1)!.byteLength);
    expect(decodeIptablesNft(dumpsOf(frames, { rules: [...rules.slice(0, -1), cut] }))).toEqual({
      fallback: 'the rule dump was interrupted',
    });
  });

  it('turn truncated and corrupted answers into a fallback, never a crash', () => {
    const { frames } = fixture('decoded');
    const rules = frames.dumps.get(FRAME.nftRules)!;
    let seed = 7;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    let fallbacks = 0;
    for (let round = 0; round < 300; round++) {
      const bad = rules.map(copy);
      const big = bad.filter((b) => b.byteLength > 64);
      const v = big[rand(big.length)]!;
      if (round < 100) {
        // A length (of an attribute, most often) grown past the bytes that hold it.
        const at = 20 + 4 * rand((v.byteLength - 24) >> 2);
        v.setUint16(at, v.getUint16(at, true) + 4 + rand(200), true);
      } else for (let k = 0; k < 1 + rand(8); k++) v.setUint8(rand(v.byteLength), rand(256));
      const out = decodeIptablesNft(dumpsOf(frames, { rules: bad }));
      if ('fallback' in out) fallbacks++;
      else expect(out.tables.map((t) => t.name)).toEqual(['mangle', 'raw', 'filter', 'nat']);
    }
    expect(fallbacks).toBeGreaterThan(100);
  });

  it('read 100,000 rules of one chain (a recorded rule, repeated)', () => {
    const { frames } = fixture('decoded');
    const rules = frames.dumps.get(FRAME.nftRules)!;
    const all = rules.flatMap(messageBytes);
    const done = all.at(-1)!;
    // The kube-proxy service rule of nat KUBE-SERVICES (-d … -p tcp -m comment … -m tcp --dport 8001 -j KUBE-SVC-A).
    const decoded = decodeIptablesNft(dumpsOf(frames));
    if ('fallback' in decoded) throw new Error(decoded.fallback);
    const nat = decoded.tables.find((t) => t.name === 'nat')!;
    const index = nat.rules.findIndex((r) => r.args.includes('KUBE-SVC-A'));
    const before = decoded.tables.filter((t) => t.name !== 'nat').reduce((n, t) => n + t.rules.length, 0);
    const one = all.filter((m) => new DataView(m.buffer, m.byteOffset).getUint16(4, true) === ((10 << 8) | 6))[
      before + index
    ]!;
    const big = new Uint8Array(one.byteLength * 100_000 + done.byteLength);
    for (let i = 0; i < 100_000; i++) big.set(one, i * one.byteLength);
    big.set(done, one.byteLength * 100_000);
    const out = decodeIptablesNft(dumpsOf(frames, { rules: [new DataView(big.buffer)] }));
    if ('fallback' in out) throw new Error(out.fallback);
    const services = out.tables.find((t) => t.name === 'nat')!.rules;
    expect(services).toHaveLength(100_000);
    expect(
      services.every((r) => r.chain === 'KUBE-SERVICES' && r.args.join(' ') === nat.rules[index]!.args.join(' ')),
    ).toBe(true);
  });
});

describe('probability', () => {
  it('prints %.11f of p / 2^31 as glibc does, ties to even', () => {
    expect(probability(0x40000000)).toBe('0.50000000000');
    expect(probability(0x80000000)).toBe('1.00000000000');
    expect(probability(0)).toBe('0.00000000000');
    expect(probability(715827883)).toBe('0.33333333349');
    // 2^19 / 2^31 = 0.000244140625: the 12th digit is a tie, and 0.00024414062 is even.
    expect(probability(2 ** 19)).toBe('0.00024414062');
    expect(probability(3 * 2 ** 19)).toBe('0.00073242188');
  });
});
