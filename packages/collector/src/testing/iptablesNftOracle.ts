import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { decodeNftTables } from '../netlink/decodeNftTables.ts';
import { FRAME, splitFrames } from '../netlink/frames.ts';
import { helperBinary } from '../netlink/helperBinary.ts';
import { decodeIptablesNft } from '../netlink/iptablesNft/decodeIptablesNft.ts';
import { parseIptablesSave, type IptablesSave } from '../netfilter/parseIptablesSave.ts';

/** One namespace's ip iptables-nft tables read both ways: decoded from the helper's dump, and iptables-nft-save's. */
export interface IptablesNftBothWays {
  readonly decoded: IptablesSave | { readonly fallback: string };
  readonly saved: IptablesSave;
  /** The helper's raw output for the namespace, and iptables-nft-save's text: what a recording keeps. */
  readonly helperOutput: Buffer;
  readonly saveText: string;
}

/** Decodes the helper's output for one namespace as collectNetlink does. */
export function decodeRecorded(helperOutput: Buffer): IptablesSave | { readonly fallback: string } {
  const [f] = splitFrames(helperOutput, 1);
  const tables = decodeNftTables(f!.dumps.get(FRAME.nftables) ?? []);
  return decodeIptablesNft({
    tables: tables.filter((t) => t.family === 'ip').map((t) => t.name),
    chains: f!.dumps.get(FRAME.nftChains) ?? [],
    rules: f!.dumps.get(FRAME.nftRules) ?? [],
    gens: f!.dumps.get(FRAME.nftGen) ?? [],
  });
}

/** Reads the named namespace's iptables-nft rules with the helper and with iptables-nft-save -c. */
export async function iptablesNftBothWays(netns: string): Promise<IptablesNftBothWays> {
  const run = promisify(execFile);
  const helper = await helperBinary();
  const { stdout: helperOutput } = await run(helper, [`/run/netns/${netns}`], {
    encoding: 'buffer',
    maxBuffer: 1 << 30,
  });
  const { stdout: saveText } = await run('ip', ['netns', 'exec', netns, 'iptables-nft-save', '-c'], {
    maxBuffer: 1 << 30,
  });
  return {
    decoded: decodeRecorded(helperOutput),
    saved: parseIptablesSave(saveText, 'ipv4', 'nft'),
    helperOutput,
    saveText,
  };
}
