import type { IptablesRule, IptablesTable, NftTable } from '@hoplens/model';
import { serverStopCommand } from '../l4/l4Servers.ts';
import type { Mutation, MutationKind } from './mutation.ts';
import { inNetns, pick, type Place } from './place.ts';

/** A port some connection of the lab goes to: one a server listens on, or one kube-proxy matches. */
interface Port {
  readonly proto: 'tcp' | 'udp';
  readonly port: number;
}

/** The ports of the lab's listening sockets (not loopback ones) and of kube-proxy's `--dport` matches. */
function portsOf(places: readonly Place[]): Port[] {
  const out = new Map<string, Port>();
  const add = (proto: string, port: number): void => {
    if ((proto === 'tcp' || proto === 'udp') && Number.isInteger(port) && port > 0)
      out.set(`${proto}/${port}`, { proto, port });
  };
  for (const p of places) {
    for (const s of p.ns.listening?.sockets ?? [])
      if (!s.address.startsWith('127.') && s.address !== '::1') add(s.proto, s.port);
    for (const t of p.ns.firewall?.iptables ?? [])
      for (const r of t.rules) {
        const at = r.args.indexOf('--dport');
        const proto = r.args[r.args.indexOf('-p') + 1];
        if (at >= 0 && proto !== undefined && r.chain.startsWith('KUBE-')) add(proto, Number(r.args[at + 1]));
      }
  }
  return [...out.values()].sort((a, b) => a.port - b.port || a.proto.localeCompare(b.proto));
}

/** kube-proxy's iptables tables of a namespace that has any of its chains, with their namespace. */
const kubeTables = (places: readonly Place[]): { p: Place; t: IptablesTable }[] =>
  places.flatMap((p) =>
    (p.ns.firewall?.iptables ?? [])
      .filter((t) => t.family === 'ipv4' && t.chains.some((c) => c.name.startsWith('KUBE-')))
      .map((t) => ({ p, t })),
  );

/** kube-proxy's nftables tables (`ip kube-proxy`), with their namespace. */
const kubeNftTables = (places: readonly Place[]): { p: Place; t: NftTable }[] =>
  places.flatMap((p) => (p.ns.firewall?.nftables ?? []).filter((t) => t.name === 'kube-proxy').map((t) => ({ p, t })));

const iptablesTool = (t: IptablesTable): string => (t.backend === 'legacy' ? 'iptables-legacy' : 'iptables-nft');

/** The 1-based position of a rule in its chain, as `iptables -D CHAIN N` counts. */
const positionOf = (t: IptablesTable, r: IptablesRule): number =>
  t.rules.filter((x) => x.chain === r.chain).indexOf(r) + 1;

/**
 * The changes that concern connections: a port dropped or refused by iptables or nftables (in any
 * hook, either direction), kube-proxy's own chains cut (a rule deleted, a chain flushed, a RETURN
 * before its rules, a DNAT sent elsewhere), a server stopped.
 */
export const L4_KINDS: readonly MutationKind[] = [
  // iptables (either backend) drops or refuses one port, in a filter chain or before routing.
  (places, rand) => {
    const p = pick(rand, places);
    const port = pick(rand, portsOf(places));
    if (!p || !port) return undefined;
    const chain = pick(rand, ['INPUT', 'FORWARD', 'OUTPUT', 'PREROUTING'] as const)!;
    const table = chain === 'PREROUTING' ? pick(rand, ['raw', 'mangle'] as const)! : 'filter';
    const side = rand() < 0.75 ? '--dport' : '--sport';
    // REJECT belongs to INPUT, FORWARD and OUTPUT; a reset only answers TCP.
    const targets =
      table !== 'filter'
        ? [['DROP']]
        : [['DROP'], ['REJECT'], ...(port.proto === 'tcp' ? [['REJECT', '--reject-with', 'tcp-reset']] : [])];
    const target = pick(rand, targets)!;
    const tool = rand() < 0.7 ? 'iptables-nft' : 'iptables-legacy';
    const rule = ['-t', table, '-I', chain, '-p', port.proto, side, String(port.port), '-j', ...target];
    return { label: `${p.netns}: ${tool} ${rule.join(' ')}`, commands: [inNetns(p.netns, tool, ...rule)] };
  },
  // nftables drops or refuses one port, in a base chain of its own at some hook and priority.
  (places, rand) => {
    const p = pick(rand, places);
    const port = pick(rand, portsOf(places));
    if (!p || !port) return undefined;
    const hook = pick(rand, ['prerouting', 'input', 'forward', 'output', 'postrouting'] as const)!;
    const prio = pick(rand, [-300, -150, 0, 100])!;
    const refusable = hook === 'input' || hook === 'forward' || hook === 'output';
    const statements = [
      `${port.proto} dport ${port.port} drop`,
      `${port.proto} sport ${port.port} drop`,
      `${port.proto} dport ${port.port} ct state new drop`,
      ...(refusable ? [`${port.proto} dport ${port.port} reject`] : []),
      ...(refusable && port.proto === 'tcp' ? [`tcp dport ${port.port} reject with tcp reset`] : []),
    ];
    const statement = pick(rand, statements)!;
    const chain = `fuzz-${hook}-${prio < 0 ? `m${-prio}` : prio}`;
    return {
      label: `${p.netns}: nft ${hook} priority ${prio}: ${statement}`,
      commands: [
        inNetns(p.netns, 'nft', 'add', 'table', 'inet', 'hlfuzz'),
        inNetns(
          p.netns,
          'nft',
          'add',
          'chain',
          'inet',
          'hlfuzz',
          chain,
          `{ type filter hook ${hook} priority ${prio} ; }`,
        ),
        inNetns(p.netns, 'nft', 'add', 'rule', 'inet', 'hlfuzz', chain, ...statement.split(' ')),
      ],
    };
  },
  // One of kube-proxy's iptables chains cut: a rule deleted, the chain flushed, or a RETURN first.
  (places, rand) => {
    const c = pick(rand, kubeTables(places));
    if (!c) return undefined;
    const chains = c.t.chains.filter((k) => k.name.startsWith('KUBE-') && c.t.rules.some((r) => r.chain === k.name));
    const chain = pick(rand, chains);
    if (!chain) return undefined;
    const tool = iptablesTool(c.t);
    const how = rand();
    if (how < 0.4) {
      const rule = pick(
        rand,
        c.t.rules.filter((r) => r.chain === chain.name),
      )!;
      const at = positionOf(c.t, rule);
      return {
        label: `${c.p.netns}: ${tool} -t ${c.t.name} -D ${chain.name} ${at} (${rule.args.join(' ')})`,
        commands: [inNetns(c.p.netns, tool, '-t', c.t.name, '-D', chain.name, String(at))],
      };
    }
    const rule = how < 0.7 ? ['-F', chain.name] : ['-I', chain.name, '1', '-j', 'RETURN'];
    return {
      label: `${c.p.netns}: ${tool} -t ${c.t.name} ${rule.join(' ')}`,
      commands: [inNetns(c.p.netns, tool, '-t', c.t.name, ...rule)],
    };
  },
  // A kube-proxy DNAT sent elsewhere: another port of its endpoint (nobody listens), or another address.
  (places, rand) => {
    const dnats = kubeTables(places).flatMap(({ p, t }) =>
      t.rules.filter((r) => r.args.includes('DNAT') && r.args.includes('--to-destination')).map((r) => ({ p, t, r })),
    );
    const c = pick(rand, dnats);
    if (!c) return undefined;
    const at = c.r.args.indexOf('--to-destination') + 1;
    const [address = '', port] = c.r.args[at]!.split(':');
    const others = places.flatMap((q) =>
      q.ns.addresses.filter((a) => a.family === 'inet' && a.scope === 'global' && a.address !== address),
    );
    const other = rand() < 0.5 ? pick(rand, others)?.address : undefined;
    const to = other !== undefined ? `${other}${port ? `:${port}` : ''}` : `${address}:${Number(port ?? 80) + 1}`;
    const args = c.r.args.map((a, i) => (i === at ? to : a));
    const tool = iptablesTool(c.t);
    const pos = String(positionOf(c.t, c.r));
    return {
      label: `${c.p.netns}: ${tool} -t ${c.t.name} -R ${c.r.chain} ${pos}: DNAT to ${to} (was ${c.r.args[at]})`,
      commands: [inNetns(c.p.netns, tool, '-t', c.t.name, '-R', c.r.chain, pos, ...args)],
    };
  },
  // One of kube-proxy's nftables chains cut: a rule deleted, or the chain flushed.
  (places, rand) => {
    const c = pick(rand, kubeNftTables(places));
    if (!c) return undefined;
    const chain = pick(
      rand,
      c.t.chains.filter((k) => c.t.rules.some((r) => r.chain === k.name)),
    );
    if (!chain) return undefined;
    const family = c.t.family;
    if (rand() < 0.5) {
      const rule = pick(
        rand,
        c.t.rules.filter((r) => r.chain === chain.name),
      )!;
      return {
        label: `${c.p.netns}: nft delete rule ${family} kube-proxy ${chain.name} handle ${rule.handle}${rule.comment ? ` (${rule.comment})` : ''}`,
        commands: [
          inNetns(c.p.netns, 'nft', 'delete', 'rule', family, 'kube-proxy', chain.name, 'handle', String(rule.handle)),
        ],
      };
    }
    return {
      label: `${c.p.netns}: nft flush chain ${family} kube-proxy ${chain.name}`,
      commands: [inNetns(c.p.netns, 'nft', 'flush', 'chain', family, 'kube-proxy', chain.name)],
    };
  },
  // A server stopped: its port closed (TCP answers a reset, UDP a port unreachable).
  (_places, rand, lab): Mutation | undefined => {
    const s = pick(rand, lab.servers);
    return (
      s && {
        label: `${s.netns}: the ${s.proto} server on port ${s.port} stopped`,
        commands: [serverStopCommand(lab.prefix, s)],
      }
    );
  },
];
