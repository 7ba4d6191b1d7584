import type { Flow, LabPlan, Scenario } from '../scenario.ts';
import { ip, iptables, sysctl } from './labCommands.ts';

const VARIANTS = ['ok', 'invalid-drop'] as const;
type Variant = (typeof VARIANTS)[number];

const CLIENT_IP = '10.98.0.2';
const SERVER_IP = '10.99.0.2';
const PORT = 8080;

/**
 * A client and a server joined by two routers: the client reaches the server through r1, the server
 * answers through r2, so r2 sees only replies — the asymmetric return path of a node with two
 * uplinks, or of a Service reply taking another node. `ok` is fault-free; in `invalid-drop` r2
 * drops what conntrack calls INVALID, as kube-proxy's KUBE-FORWARD chain does
 * (`-m conntrack --ctstate INVALID -j DROP`): an echo reply or a SYN-ACK whose request r2 never saw
 * is INVALID there, so ping and a TCP connect both die at r2.
 */
export const asymmetricReturn: Scenario = {
  name: 'asymmetric-return',
  description: 'replies taking another router than their requests, through a ctstate INVALID drop',
  variants: VARIANTS,
  plan(prefix, variantName): LabPlan {
    const variant = variantName as Variant;
    const [c, r1, r2, s] = ['c', 'r1', 'r2', 's'].map((n) => `${prefix}${n}`) as [string, string, string, string];
    const wire = (a: string, aDev: string, aCidr: string, b: string, bDev: string, bCidr: string): string[][] => [
      ip(a, 'link', 'add', aDev, 'type', 'veth', 'peer', 'name', bDev, 'netns', b),
      ip(a, 'addr', 'add', aCidr, 'dev', aDev),
      ip(b, 'addr', 'add', bCidr, 'dev', bDev),
      ip(a, 'link', 'set', aDev, 'up'),
      ip(b, 'link', 'set', bDev, 'up'),
    ];
    const commands: string[][] = [
      ...[c, r1, r2, s].map((n) => ip(n, 'link', 'set', 'lo', 'up')),
      sysctl(r1, 'net.ipv4.ip_forward=1'),
      sysctl(r2, 'net.ipv4.ip_forward=1'),
      ...wire(c, 'eth1', '10.1.1.2/24', r1, 'c1', '10.1.1.1/24'),
      ...wire(c, 'eth2', '10.1.2.2/24', r2, 'c2', '10.1.2.1/24'),
      ...wire(s, 'eth1', '10.2.1.2/24', r1, 's1', '10.2.1.1/24'),
      ...wire(s, 'eth2', '10.2.2.2/24', r2, 's2', '10.2.2.1/24'),
      ip(c, 'addr', 'add', `${CLIENT_IP}/32`, 'dev', 'lo'),
      ip(s, 'addr', 'add', `${SERVER_IP}/32`, 'dev', 'lo'),
      ip(c, 'route', 'add', SERVER_IP, 'via', '10.1.1.1', 'src', CLIENT_IP),
      ip(s, 'route', 'add', CLIENT_IP, 'via', '10.2.2.1', 'src', SERVER_IP),
      ip(r1, 'route', 'add', SERVER_IP, 'via', '10.2.1.2'),
      ip(r1, 'route', 'add', CLIENT_IP, 'via', '10.1.1.2'),
      ip(r2, 'route', 'add', SERVER_IP, 'via', '10.2.2.2'),
      ip(r2, 'route', 'add', CLIENT_IP, 'via', '10.1.2.2'),
      ...(variant === 'invalid-drop'
        ? [iptables(r2, '-A', 'FORWARD', '-m', 'conntrack', '--ctstate', 'INVALID', '-j', 'DROP')]
        : []),
    ];
    const dropped = variant === 'invalid-drop' ? { expectDrop: 'NETFILTER_DROP' } : {};
    const flows: Flow[] = [
      { from: { host: 'c', netns: c }, to: SERVER_IP, pingNetns: c, ...dropped },
      { from: { host: 'c', netns: c }, to: SERVER_IP, pingNetns: c, connect: { proto: 'tcp', port: PORT }, ...dropped },
    ];
    const host = (name: string, root: string) => ({ name, kind: 'other' as const, root, netns: [] });
    return {
      scenario: 'asymmetric-return',
      variant,
      prefix,
      namespaces: [c, r1, r2, s],
      commands,
      hostMap: { hosts: [host('c', c), host('r1', r1), host('r2', r2), host('s', s)] },
      servers: [{ netns: s, proto: 'tcp', port: PORT, answer: SERVER_IP }],
      flows,
      expected: [],
    };
  },
};
