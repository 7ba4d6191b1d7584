import {
  DEFAULT_RULES,
  inferPods,
  SNAPSHOT_FORMAT,
  type Address,
  type HostInventory,
  type Link,
  type NetnsInventory,
  type NetnsRef,
  type Route,
  type Snapshot,
} from '@hoplens/model';
import { mulberry32 } from './random.ts';

export interface SyntheticOptions {
  readonly nodes: number;
  readonly podsPerNode: number;
  /** Share of pods that are peer pods, each with its own pod VM and VXLAN tunnel. */
  readonly peerPodShare: number;
  /** How many peer pods get a pod VM MAC that differs from the pod's eth0 (DESIGN §1). */
  readonly faults: number;
  readonly seed: number;
}

/** A fault the generator put in, with where rules should point. */
export interface InjectedFault {
  readonly kind: 'mac-mismatch-across-tunnel';
  readonly podNetns: NetnsRef;
  readonly vmNetns: NetnsRef;
}

export interface SyntheticCluster {
  readonly snapshot: Snapshot;
  readonly faults: readonly InjectedFault[];
  /** Where each pod's workload runs, and its IP: sources and targets for random traces. */
  readonly pods: readonly { readonly netns: NetnsRef; readonly ip: string }[];
}

const ROUTER_IP = '172.16.0.1';
const UNDERLAY = '172.16.0.0/12';
const VNI_BASE = 555000;

const mac = (kind: number, a: number, b: number): string =>
  [0x02, kind, (a >> 8) & 255, a & 255, (b >> 8) & 255, b & 255].map((x) => x.toString(16).padStart(2, '0')).join(':');
const podSubnet = (i: number): string => `10.${(i >> 8) & 255}.${i & 255}`;
const nodeIp = (i: number): string => `172.17.${(i >> 8) & 255}.${i & 255}`;
const vmIp = (k: number): string => `172.24.${(k >> 8) & 255}.${k & 255}`;

/**
 * A deterministic synthetic cluster (same options, same snapshot): `nodes` bridge-CNI nodes routed
 * through one collected router, `podsPerNode` pods each with OVN-style permanent neighbor entries,
 * a share of peer pods with pod VMs and tunnels (worker eth0 ⇄ tc ⇄ vxlan1, VM podns vxlan0), and
 * `faults` of those with the seed's MAC mismatch. Raw command output is left out.
 */
export function generateCluster(opts: SyntheticOptions): SyntheticCluster {
  const rand = mulberry32(opts.seed);
  const collectedAt = new Date(Date.UTC(2026, 0, 1)).toISOString();
  const hosts: HostInventory[] = [];
  const faults: InjectedFault[] = [];
  const pods: { netns: NetnsRef; ip: string }[] = [];
  const peerSlots: { i: number; j: number }[] = [];

  const routerRoutes: Route[] = [
    route('main', UNDERLAY, { dev: 'eth0', prefsrc: ROUTER_IP, scope: 'link' }),
    local(ROUTER_IP, 'eth0'),
  ];
  let vmCount = 0;
  for (let i = 0; i < opts.nodes; i++) {
    const host = `node-${i}`;
    const net = podSubnet(i);
    const gw = `${net}.1`;
    const cniMac = mac(1, i, 0);
    routerRoutes.push(route('main', `${net}.0/24`, { gateway: nodeIp(i), dev: 'eth0' }));
    const rootLinks: Link[] = [lo(), nic(2, 'eth0', mac(0, i, 0)), { ...nic(3, 'cni0', cniMac), kind: 'bridge' }];
    const root: NetnsInventory = netns(
      null,
      true,
      rootLinks,
      [addr(2, nodeIp(i), 12), addr(3, gw, 24)],
      [
        route('main', 'default', { gateway: ROUTER_IP, dev: 'eth0' }),
        route('main', UNDERLAY, { dev: 'eth0', prefsrc: nodeIp(i), scope: 'link' }),
        route('main', `${net}.0/24`, { dev: 'cni0', prefsrc: gw, scope: 'link' }),
        local(nodeIp(i), 'eth0'),
        local(gw, 'cni0'),
      ],
    );
    root.ipForward = true;
    const namespaces: NetnsInventory[] = [root];
    const vms: HostInventory[] = [];
    for (let j = 0; j < opts.podsPerNode; j++) {
      const name = `pod-${j}`;
      const ip = `${net}.${j + 2}`;
      const podMac = `0a:58:${mac(0, i, j).slice(6)}`;
      const hostIfindex = 10 + j;
      rootLinks.push({
        ...nic(hostIfindex, `veth${j}`, mac(3, i, j)),
        kind: 'veth',
        masterIfindex: 3,
        peer: { host, netns: name, ifindex: 2 },
      });
      root.neighbors.push({ ip, dev: 'cni0', mac: podMac, state: ['PERMANENT'] });
      const podLinks: Link[] = [
        lo(),
        { ...nic(2, 'eth0', podMac), kind: 'veth', peer: { host, netns: null, ifindex: hostIfindex } },
      ];
      const pod = netns(
        name,
        false,
        podLinks,
        [addr(2, ip, 24)],
        [
          route('main', 'default', { gateway: gw, dev: 'eth0' }),
          route('main', `${net}.0/24`, { dev: 'eth0', prefsrc: ip, scope: 'link' }),
          local(ip, 'eth0'),
        ],
      );
      pod.neighbors.push({ ip: gw, dev: 'eth0', mac: cniMac, state: ['PERMANENT'] });
      pod.ipForward = false;
      namespaces.push(pod);
      if (rand() >= opts.peerPodShare) {
        pods.push({ netns: { host, netns: name }, ip });
        continue;
      }
      // Peer pod: the workload runs in a pod VM; the worker's pod netns only moves frames with tc.
      const k = vmCount++;
      const vm = `podvm-${k}`;
      const vni = VNI_BASE + k;
      // The kernel gives a VXLAN device on a 1500-byte underlay an MTU of 1450.
      podLinks.push({
        ...nic(3, 'vxlan1', mac(4, i, j)),
        mtu: 1450,
        kind: 'vxlan',
        vxlan: {
          vni,
          remote: vmIp(k),
          port: 4789,
          learning: true,
          socketNetns: { host, netns: null },
          underlay: { host, netns: null, ifindex: 2 },
        },
      });
      pod.tcFilters.push(redirect(2, 'eth0', 'vxlan1', 3), redirect(3, 'vxlan1', 'eth0', 2));
      const vmRoot = netns(
        null,
        true,
        [lo(), nic(2, 'eth0', mac(5, k, 0))],
        [addr(2, vmIp(k), 12)],
        [route('main', UNDERLAY, { dev: 'eth0', prefsrc: vmIp(k), scope: 'link' }), local(vmIp(k), 'eth0')],
      );
      vmRoot.ipForward = false;
      const podns = netns(
        'podns',
        false,
        [
          lo(),
          {
            ...nic(3, 'vxlan0', podMac),
            mtu: 1450,
            kind: 'vxlan',
            vxlan: {
              vni,
              remote: nodeIp(i),
              port: 4789,
              learning: true,
              socketNetns: { host: vm, netns: null },
              underlay: { host: vm, netns: null, ifindex: 2 },
            },
          },
        ],
        [addr(3, ip, 24)],
        [
          route('main', 'default', { gateway: gw, dev: 'vxlan0' }),
          route('main', `${net}.0/24`, { dev: 'vxlan0', prefsrc: ip, scope: 'link' }),
          local(ip, 'vxlan0'),
        ],
      );
      podns.neighbors.push({ ip: gw, dev: 'vxlan0', mac: cniMac, state: ['PERMANENT'] });
      podns.ipForward = false;
      vms.push({ name: vm, kind: 'pod-vm', collectedAt, errors: [], namespaces: [vmRoot, podns] });
      peerSlots.push({ i, j });
      pods.push({ netns: { host: vm, netns: 'podns' }, ip });
    }
    hosts.push({ name: host, kind: 'node', collectedAt, errors: [], namespaces }, ...vms);
  }
  // Faults at known places: spread over the peer pods, chosen by the seeded generator.
  const chosen = new Set<number>();
  while (chosen.size < Math.min(opts.faults, peerSlots.length)) chosen.add(Math.floor(rand() * peerSlots.length));
  const vmByName = new Map(hosts.map((h) => [h.name, h]));
  for (const k of [...chosen].sort((a, b) => a - b)) {
    const slot = peerSlots[k]!;
    const vm = vmByName.get(`podvm-${k}`)!;
    const vx = vm.namespaces[1]!.links[1]!;
    vx.mac = mac(0x7e, k, 0xffff);
    faults.push({
      kind: 'mac-mismatch-across-tunnel',
      podNetns: { host: `node-${slot.i}`, netns: `pod-${slot.j}` },
      vmNetns: { host: vm.name, netns: 'podns' },
    });
  }
  const router = netns(null, true, [lo(), nic(2, 'eth0', mac(6, 0, 0))], [addr(2, ROUTER_IP, 12)], routerRoutes);
  router.ipForward = true;
  hosts.unshift({ name: 'router', kind: 'other', collectedAt, errors: [], namespaces: [router] });
  const snapshot: Snapshot = {
    format: SNAPSHOT_FORMAT,
    id: `synthetic-${opts.nodes}n-${opts.podsPerNode}p-s${opts.seed}`.padEnd(22, '0').slice(0, 64),
    createdAt: collectedAt,
    source: `synthetic ${opts.nodes} nodes × ${opts.podsPerNode} pods (seed ${opts.seed})`,
    hosts,
    pods: inferPods(hosts),
  };
  return { snapshot, faults, pods };
}

function netns(
  name: string | null,
  root: boolean,
  links: Link[],
  addresses: Address[],
  routes: Route[],
): NetnsInventory {
  return {
    name,
    root,
    links,
    addresses: [addr(1, '127.0.0.1', 8, 'host'), ...addresses],
    routes,
    neighbors: [],
    tcFilters: [],
    // The kernel's own policy rules and no firewall rule, as collected where nobody added any
    // (absent would be "not collected"). The rules are shared: a snapshot is never changed.
    rules: [...DEFAULT_RULES],
    // Of the sysctls only what a ping's answer depends on (the kernel's default): nothing else is
    // claimed, so every other check that would read one says it was not collected.
    sysctls: { all: {}, devices: [], icmpEchoIgnoreAll: 0, icmp6EchoIgnoreAll: 0 },
    firewall: { nftables: [], iptables: [], ipsets: [], gaps: [] },
    raw: [],
  };
}

function lo(): Link {
  return {
    ifindex: 1,
    name: 'lo',
    kind: 'loopback',
    mac: '00:00:00:00:00:00',
    mtu: 65536,
    adminUp: true,
    carrier: true,
    operstate: 'UNKNOWN',
    promiscuous: false,
  };
}

function nic(ifindex: number, name: string, address: string): Link {
  return {
    ifindex,
    name,
    kind: 'device',
    mac: address,
    mtu: 1500,
    adminUp: true,
    carrier: true,
    operstate: 'UP',
    promiscuous: false,
  };
}

function addr(ifindex: number, address: string, prefixlen: number, scope = 'global'): Address {
  return { ifindex, family: 'inet', address, prefixlen, scope };
}

function route(table: string, dst: string, extra: Partial<Route>): Route {
  return { family: 'inet', table, type: 'unicast', dst, ...extra };
}

function local(ip: string, dev: string): Route {
  return { family: 'inet', table: 'local', type: 'local', dst: ip, dev, prefsrc: ip, scope: 'host' };
}

function redirect(ifindex: number, dev: string, target: string, targetIfindex: number) {
  return {
    ifindex,
    dev,
    direction: 'ingress' as const,
    kind: 'u32',
    pref: 1,
    matchesAll: true,
    actions: [
      {
        kind: 'mirred' as const,
        action: 'redirect' as const,
        direction: 'egress' as const,
        targetDev: target,
        targetIfindex,
      },
    ],
  };
}
