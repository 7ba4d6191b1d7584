import recorded from '../../fixtures/kube-service-ok-nft.snapshot.json' with { type: 'json' };
import type { NftTable } from '../schema/firewall.ts';
import type { Snapshot } from '../schema/snapshot.ts';
import { readSnapshot } from '../snapshot/readSnapshot.ts';

/** The kube-service lab's fault-free nftables-mode node, recorded by scripts/record-kube-proxy-nft.sh. */
export const recordedNftSnapshot = (): Snapshot => readSnapshot(JSON.parse(JSON.stringify(recorded)));

/** The client pod of the recorded lab, and node-a, whose root holds `table ip kube-proxy`. */
export const NFT_CLIENT = { host: 'node-a', netns: 'hl-knft-na-p2' } as const;
export const NFT_NODE = { host: 'node-a', netns: 'hl-knft-na' } as const;

/** node-a's `table ip kube-proxy` in a snapshot (it throws where the recording has none: a broken fixture). */
export function kubeProxyTableOf(snap: Snapshot): NftTable {
  const ns = snap.hosts.flatMap((h) => h.namespaces).find((n) => n.name === NFT_NODE.netns);
  const t = ns?.firewall?.nftables.find((x) => x.family === 'ip' && x.name === 'kube-proxy');
  if (!t) throw new Error('the recorded snapshot has no table ip kube-proxy on node-a');
  return t;
}
