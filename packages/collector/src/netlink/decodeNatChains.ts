import type { NatChain } from '@hoplens/model';
import { attrs, messages, str } from './rtattr.ts';

/** (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWCHAIN. */
const NEWCHAIN = (10 << 8) | 3;
const CHAIN = { TABLE: 1, NAME: 3, HOOK: 4, TYPE: 7 };
const HOOK = { NUM: 1, PRIORITY: 2 };
const FAMILIES: Readonly<Record<number, string>> = {
  1: 'inet',
  2: 'ip',
  3: 'arp',
  5: 'netdev',
  7: 'bridge',
  10: 'ip6',
};
/** NF_INET_* hooks, as nft names them. */
const HOOKS = ['prerouting', 'input', 'forward', 'output', 'postrouting', 'ingress'];

/** NFT_MSG_NEWCHAIN messages (after struct nfgenmsg) as `parseNatChains` reads `nft -j list chains`. */
export function decodeNatChains(buffers: readonly DataView[]): NatChain[] {
  const out: NatChain[] = [];
  for (const buf of buffers) {
    for (const m of messages(buf)) {
      if (m.type !== NEWCHAIN || m.body.byteLength < 4) continue;
      const family = FAMILIES[m.body.getUint8(0)];
      const a = attrs(m.body, 4);
      const hook = a.get(CHAIN.HOOK);
      if (!family || str(a.get(CHAIN.TYPE)) !== 'nat' || !hook) continue;
      const h = attrs(hook);
      const num = h.get(HOOK.NUM);
      const prio = h.get(HOOK.PRIORITY);
      const name = num && num.byteLength >= 4 ? HOOKS[num.getUint32(0, false)] : undefined;
      const table = str(a.get(CHAIN.TABLE));
      const chain = str(a.get(CHAIN.NAME));
      if (!name || table === undefined || chain === undefined) continue;
      out.push({
        family,
        table,
        chain,
        hook: name,
        priority: prio && prio.byteLength >= 4 ? prio.getInt32(0, false) : 0,
      });
    }
  }
  return out;
}
