import type { IpValue } from '../net/ip.ts';
import type { PortRange } from '../net/portRange.ts';
import type { NatTarget, RuleRef } from './ir.ts';
import type { IpSet } from '../schema/firewall.ts';
import type { PacketBytes } from '../trace/packetBytes.ts';

/** Conntrack's state as a rule sees it (`ct state`, `--ctstate`). */
export type NfCtState = 'new' | 'established' | 'related' | 'invalid' | 'untracked';

/** The netfilter hooks (for netdev: ingress, egress). */
export type NfHook = 'prerouting' | 'input' | 'forward' | 'output' | 'postrouting' | 'ingress' | 'egress';

/** Which rules a packet meets: the IPv4 or IPv6 hooks, ARP's, the bridge's, or a device's (netdev). */
export type NfFamily = 'ipv4' | 'ipv6' | 'arp' | 'bridge' | 'netdev';

/** The kind of address, as `addrtype` and `fib … type` name them (RTN_*). */
export type AddrType =
  'unicast' | 'local' | 'broadcast' | 'anycast' | 'multicast' | 'blackhole' | 'unreachable' | 'prohibit' | 'unspec';

/**
 * A packet as netfilter's matches read it, at one hook of one namespace. Fields a hook does not
 * have are undefined (no `oif` at prerouting); a transport field that is not known (a VXLAN
 * source port the kernel picks by hash) is undefined too, and a match on it is unknown.
 */
export interface NfPacket {
  readonly family: 'ipv4' | 'ipv6' | 'arp';
  readonly src: IpValue | undefined;
  readonly dst: IpValue | undefined;
  /** IP protocol (1 ICMP, 6 TCP, 17 UDP, 58 ICMPv6); undefined for ARP. */
  readonly l4proto: number | undefined;
  readonly sport: number | undefined;
  readonly dport: number | undefined;
  /** Where a port is undefined, the ports the kernel picks it from, where known. */
  readonly sportRange?: PortRange | undefined;
  readonly dportRange?: PortRange | undefined;
  readonly icmpType: number | undefined;
  readonly icmpCode: number | undefined;
  /** TCP flags byte (FIN 1, SYN 2, RST 4, PSH 8, ACK 16). */
  readonly tcpFlags: number | undefined;
  /** Total IP length. */
  readonly length: number;
  readonly iif: string | undefined;
  readonly oif: string | undefined;
  /** Bridge ports, where br_netfilter calls the IP hooks for a bridged frame. */
  readonly physIn: string | undefined;
  readonly physOut: string | undefined;
  readonly bridged: boolean;
  readonly pktType: 'host' | 'broadcast' | 'multicast' | 'otherhost';
  /** The bytes on the wire, for payload and raw matches. */
  readonly bytes: PacketBytes | undefined;
}

/** What a hook's evaluation may change, and carries from chain to chain. */
export interface NfState {
  mark: number;
  /** Conntrack's state as rules see it now (`invalid` before conntrack ran, `untracked` after NOTRACK). */
  ct: NfCtState;
  notrack: boolean;
  /** The NAT rule that matched this (first) packet of its connection, and what it asks. */
  nat?: { readonly target: NatTarget; readonly ref: RuleRef };
}

/** What matches ask of the namespace they run in. */
export interface NfEnv {
  /** The type of an address in this namespace (its local addresses, broadcast, multicast…). */
  readonly addrType: (ip: IpValue) => AddrType;
  readonly ipsets: ReadonlyMap<string, IpSet>;
}
