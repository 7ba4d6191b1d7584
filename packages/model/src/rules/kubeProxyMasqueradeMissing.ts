import { commandIn } from '../fix/commands.ts';
import { netnsId, netnsPath } from '../ids.ts';
import type { Finding } from '../schema/finding.ts';
import type { IptablesTable, JsonValue, NftTable } from '../schema/firewall.ts';
import type { NetnsEntry } from '../topology/snapshotIndex.ts';
import type { Rule } from './rule.ts';

/** What kube-proxy's masquerade does, and what its absence breaks, in one sentence for the message. */
const CONSEQUENCE =
  'kube-proxy marks connections that need a new source (mark 0x4000: a pod whose chosen endpoint is itself, traffic from outside the cluster CIDR) but nothing masquerades them: ' +
  'a pod reaching a Service through its own endpoint gets its packet back from its own address and drops it as a martian source (IP_LOCAL_SOURCE)';

interface Gap {
  readonly what: string;
  readonly fix: readonly string[];
}

/** iptables mode: nat POSTROUTING must jump to KUBE-POSTROUTING, and that chain must MASQUERADE. */
function iptablesGap(t: IptablesTable): Gap | undefined {
  if (t.name !== 'nat' || t.family !== 'ipv4' || !t.chains.some((c) => c.name === 'KUBE-POSTROUTING')) return undefined;
  const cmd = t.backend === 'legacy' ? 'iptables-legacy' : 'iptables-nft';
  const jumps = (chain: string, target: string): boolean =>
    t.rules.some((r) => r.chain === chain && r.args.indexOf('-j') >= 0 && r.args[r.args.indexOf('-j') + 1] === target);
  if (!jumps('POSTROUTING', 'KUBE-POSTROUTING')) {
    return {
      what: 'nat POSTROUTING does not jump to KUBE-POSTROUTING',
      fix: [
        cmd,
        '-t',
        'nat',
        '-A',
        'POSTROUTING',
        '-m',
        'comment',
        '--comment',
        'kubernetes postrouting rules',
        '-j',
        'KUBE-POSTROUTING',
      ],
    };
  }
  if (!jumps('KUBE-POSTROUTING', 'MASQUERADE')) {
    return {
      what: 'KUBE-POSTROUTING has no MASQUERADE rule',
      fix: [
        cmd,
        '-t',
        'nat',
        '-A',
        'KUBE-POSTROUTING',
        '-m',
        'comment',
        '--comment',
        'kubernetes service traffic requiring SNAT',
        '-j',
        'MASQUERADE',
        '--random-fully',
      ],
    };
  }
  return undefined;
}

const has = (expr: readonly JsonValue[], test: (e: { [k: string]: JsonValue }) => boolean): boolean =>
  expr.some((e) => typeof e === 'object' && e !== null && !Array.isArray(e) && test(e));
const jumpsTo =
  (target: string) =>
  (e: { [k: string]: JsonValue }): boolean => {
    const j = e.jump;
    return typeof j === 'object' && j !== null && !Array.isArray(j) && j.target === target;
  };

/** nftables mode: a nat postrouting base chain of `table ip kube-proxy` must jump to `masquerading`, which must masquerade. */
function nftGap(t: NftTable): Gap | undefined {
  if (t.family !== 'ip' || t.name !== 'kube-proxy' || !t.chains.some((c) => c.name === 'masquerading'))
    return undefined;
  const post = t.chains.find((c) => c.hook === 'postrouting' && c.type === 'nat');
  const postName = post?.name ?? 'nat-postrouting';
  if (!t.rules.some((r) => r.chain === postName && has(r.expr, jumpsTo('masquerading')))) {
    return {
      what: `chain ${postName} of table ip kube-proxy does not jump to masquerading`,
      fix: ['nft', 'add', 'rule', 'ip', 'kube-proxy', postName, 'jump', 'masquerading'],
    };
  }
  if (!t.rules.some((r) => r.chain === 'masquerading' && has(r.expr, (e) => 'masquerade' in e))) {
    return {
      what: 'chain masquerading of table ip kube-proxy does not masquerade',
      fix: ['nft', 'add', 'rule', 'ip', 'kube-proxy', 'masquerading', 'masquerade', 'fully-random'],
    };
  }
  return undefined;
}

function gapsIn(ns: NetnsEntry): Gap[] {
  const fw = ns.ns.firewall;
  if (!fw) return [];
  return [...fw.iptables.map(iptablesGap), ...fw.nftables.map(nftGap)].filter((g) => g !== undefined);
}

/**
 * kube-proxy's rules (either mode) mark connections for masquerade and leave the masquerading to
 * a postrouting chain: without it, a pod reaching a Service whose chosen endpoint is itself hairpins
 * back with its own address as the source (the pod drops it), and traffic to a ClusterIP from outside
 * the cluster CIDR reaches its endpoint with a source the endpoint answers directly. The fix puts the
 * missing rule back as kube-proxy writes it (its next resync does the same).
 */
export const kubeProxyMasqueradeMissing: Rule = {
  id: 'kube-proxy-masquerade-missing',
  run(index) {
    const findings: Finding[] = [];
    for (const ns of index.namespaces) {
      for (const gap of gapsIn(ns)) {
        findings.push({
          rule: this.id,
          severity: 'critical',
          subjects: [netnsId(ns.ref)],
          message: `${netnsPath(ns.ref)}: ${gap.what}; ${CONSEQUENCE}`,
          evidence: { netns: netnsPath(ns.ref), missing: gap.what },
          fix: commandIn(ns.ns, gap.fix),
        });
      }
    }
    return findings;
  },
};
