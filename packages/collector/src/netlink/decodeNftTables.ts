import type { NftFamily } from '@hoplens/model';
import type { NetfilterPresence } from '../netfilter/presence.ts';
import { attrs, messages, str } from './rtattr.ts';

const NFT_MSG_NEWTABLE = (10 << 8) | 0;
const NFTA_TABLE_NAME = 1;
/** NFPROTO_* as nft names the families. */
const FAMILIES: Readonly<Record<number, NftFamily>> = {
  1: 'inet',
  2: 'ip',
  3: 'arp',
  5: 'netdev',
  7: 'bridge',
  10: 'ip6',
};

/** NFT_MSG_NEWTABLE answers (struct nfgenmsg, then attributes) as `nft -j list tables` lists them. */
export function decodeNftTables(buffers: readonly DataView[]): NetfilterPresence['nft'] {
  const out: { family: NftFamily; name: string }[] = [];
  for (const buf of buffers) {
    for (const m of messages(buf)) {
      if (m.type !== NFT_MSG_NEWTABLE || m.body.byteLength < 4) continue;
      const family = FAMILIES[m.body.getUint8(0)];
      const name = str(attrs(m.body, 4).get(NFTA_TABLE_NAME));
      if (family && name !== undefined) out.push({ family, name });
    }
  }
  return out;
}
