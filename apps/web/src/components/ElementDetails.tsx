import type { Finding, GraphNode, NetnsNode, OvsFacts } from '@hoplens/model';

type Fact = readonly [name: string, value: string];

/** What a device is to Open vSwitch: a bridge's datapath and rule count, a port's number and pod. */
function ovsFacts(o: OvsFacts): Fact[] {
  if (o.role === 'bridge')
    return [
      ['ovs', `bridge, ${o.datapath} datapath`],
      ['openflow rules', String(o.flows)],
    ];
  const facts: Fact[] = [
    ['ovs', `${o.role} of ${o.bridge}`],
    ['ofport', o.ofport === undefined ? 'none' : String(o.ofport)],
  ];
  if (o.ifaceId !== undefined) facts.push(['iface-id', o.ifaceId]);
  if (o.pod !== undefined) facts.push(['pod', o.pod]);
  return facts;
}

/** A namespace's listening sockets: each in words, and how many more there are (or could be). */
function listeningText(l: NetnsNode['listening']): string {
  if (!l) return 'not collected';
  if (l.total === 0) return 'nothing';
  const more = l.total - l.sockets.length;
  const rest = more > 0 ? `, and ${more} more` : '';
  return `${l.sockets.join(', ')}${rest}${l.truncated ? ' (list cut at the collector: there are more)' : ''}`;
}

/** The facts of a node worth reading beside the graph, by kind, as text. */
function nodeFacts(n: GraphNode): Fact[] {
  switch (n.kind) {
    case 'host': {
      const facts: Fact[] = [
        ['kind', n.hostKind],
        ['errors', String(n.errors)],
      ];
      const c = n.collapsed;
      if (c) {
        facts.push(['hosts', String(c.hosts)], ['netns', String(c.netns)], ['interfaces', String(c.interfaces)]);
        facts.push(['pods', String(c.pods)], ['tunnels', String(c.tunnels)], ['findings', String(c.findings)]);
        if (c.severity) facts.push(['worst', c.severity]);
      }
      return facts;
    }
    case 'netns': {
      const fw = n.firewall;
      const firewall = !fw
        ? 'not collected'
        : fw.rules === 0 && fw.chains === 0
          ? 'no firewall rules'
          : `${fw.tables} tables, ${fw.chains} chains, ${fw.rules} rules`;
      return [
        ['root', n.root ? 'yes' : 'no'],
        ['firewall', firewall],
        ['listening', listeningText(n.listening)],
      ];
    }
    case 'interface': {
      const facts: Fact[] = [
        ['kind', n.linkKind],
        ['mac', n.mac ?? '—'],
        ['mtu', String(n.mtu)],
        ['state', n.state],
      ];
      if (n.addresses.length > 0) facts.push(['addresses', n.addresses.join(', ')]);
      if (n.vxlan) {
        facts.push(['vni', String(n.vxlan.vni)], ['port', String(n.vxlan.port)]);
        if (n.vxlan.remote !== undefined) facts.push(['remote', n.vxlan.remote]);
      }
      if (n.ovs) facts.push(...ovsFacts(n.ovs));
      return facts;
    }
    case 'pod':
      // An inferred pod's "namespace" is hoplens' (its node's name without a switch port naming it).
      return n.inferred
        ? [
            ['namespace', `${n.namespace} (inferred)`],
            ['found', 'from its network namespace: Kubernetes was not asked'],
            ['ips', n.ips.join(', ')],
          ]
        : [
            ['namespace', n.namespace],
            ['ips', n.ips.join(', ')],
          ];
    case 'remote':
      return [
        ['address', n.address],
        ['owner', 'no collected host'],
      ];
  }
}

/** The selected element: what it is, its facts, and the findings that name it. All as text. */
export function ElementDetails(props: {
  readonly node: GraphNode | undefined;
  readonly id: string;
  readonly findings: readonly Finding[];
  readonly onExpand: (() => void) | undefined;
  readonly onClose: () => void;
}) {
  const { node, id } = props;
  const about = props.findings.filter((f) => f.subjects.includes(id));
  return (
    <section className="panel" data-testid="element-details" aria-labelledby="element-title">
      <header className="panel-head">
        <h2 id="element-title">{node ? `${node.kind} ${node.label}` : id}</h2>
        <button type="button" onClick={props.onClose} aria-label="close details">
          ×
        </button>
      </header>
      {!node && <p className="muted">Not drawn in this view.</p>}
      {node && (
        <dl className="facts">
          {nodeFacts(node).map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      )}
      {props.onExpand && (
        <button type="button" onClick={props.onExpand} data-testid="expand-selected">
          Expand this group
        </button>
      )}
      {about.length > 0 && (
        <ul className="findings">
          {about.map((f, i) => (
            <li key={i} className={`finding sev-${f.severity}`}>
              <span className={`badge badge-${f.severity}`}>{f.severity}</span> <strong>{f.rule}</strong>
              <p>{f.message}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
