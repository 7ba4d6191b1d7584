import { decodeNftTables } from '../netlink/decodeNftTables.ts';
import { FRAME, type NetnsFrames } from '../netlink/frames.ts';
import type { IptablesNftDumps } from '../netlink/iptablesNft/decodeIptablesNft.ts';

/** A namespace's iptables-nft dumps as the decoder takes them (its ip tables, chains, rules, generations), with `change` over them. */
export const dumpsOf = (f: NetnsFrames, change: Partial<IptablesNftDumps> = {}): IptablesNftDumps => ({
  tables: decodeNftTables(f.dumps.get(FRAME.nftables) ?? [])
    .filter((t) => t.family === 'ip')
    .map((t) => t.name),
  chains: f.dumps.get(FRAME.nftChains) ?? [],
  rules: f.dumps.get(FRAME.nftRules) ?? [],
  gens: f.dumps.get(FRAME.nftGen) ?? [],
  ...change,
});

/** A copy of a buffer's bytes, to change without touching the recording. */
export const copyView = (v: DataView): DataView =>
  new DataView(new Uint8Array(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)).buffer);
