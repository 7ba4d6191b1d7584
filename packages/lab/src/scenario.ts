import type { HostMap, NetnsRef } from '@hoplens/model';
import type { CniAttachment } from './cni/cniSchema.ts';

/**
 * A connection instead of a ping: a TCP connect or a UDP request-reply to `port`, each answered by
 * a lab server with its own pod IP, so that the endpoint a Service's NAT picked is known.
 */
export interface Connect {
  readonly proto: 'tcp' | 'udp';
  readonly port: number;
}

/** A server the lab starts in a namespace (and `lab down` stops): it answers each connection with `answer`. */
export interface L4Server {
  readonly netns: string;
  readonly proto: 'tcp' | 'udp';
  readonly port: number;
  readonly answer: string;
}

/** A flow the scenario expects to work or fail, checked by trace and by a real ping (or connections). */
export interface Flow {
  readonly from: NetnsRef;
  readonly to: string;
  /** The namespace name to run ping in (the host map's root or netns name). */
  readonly pingNetns: string;
  /** Connections to a port instead of a ping (see Connect). */
  readonly connect?: Connect;
  /**
   * Why this flow's connections fail in every variant, the fault-free one too (a Service without
   * endpoints, which kube-proxy rejects): once a variant's fixes ran, it must still fail, not work.
   */
  readonly refusedAlways?: string;
  /** The Service (`namespace/name:port`) the trace names instead of `to`, its ClusterIP. */
  readonly service?: string;
  /**
   * The address the client's connections leave with. Where set, the source each endpoint saw (the
   * lab's server says) must be the one the trace gives it: this one, unless a source NAT on the
   * branch rewrites it (externalTrafficPolicy Local keeps the client's own).
   */
  readonly clientAddress?: string;
  /** ICMP payload bytes (`ping -s`); absent for ping's default 56. */
  readonly size?: number;
  /** Don't Fragment (`ping -M do`), to find where a large packet no longer fits. */
  readonly df?: boolean;
  /**
   * The kernel's drop reason for a flow that dies (`skb:kfree_skb`: NETFILTER_DROP, OTHERHOST, …),
   * or the errno ping's send gets where no packet is made (ENETUNREACH), for the suite that confirms
   * drops with the kernel's own probe. The trace's dropping hop must predict the same.
   */
  readonly expectDrop?: string;
  /**
   * A kernel function the drop must happen in, where the reason alone says little (NOT_SPECIFIED:
   * `__dev_forward_skb` for a veth's too-big frame, `ip_error` for a blackhole route).
   */
  readonly expectDropIn?: string;
  /**
   * Why this flow dies in Open vSwitch's userspace datapath (`datapath_type=netdev`): ovs-vswitchd
   * drops it, and no `skb:kfree_skb` names that drop. The only kernel drop the probe may see is the
   * stack's own copy of a frame the switch read through its packet socket, freed as OTHERHOST (not
   * addressed to the port's device) whatever the switch does with it; any other is a problem.
   */
  readonly dropInOvs?: string;
  /**
   * Why the probe cannot tie the kernel's drop to its own packet (a reply the destination's stack
   * makes and its OUTPUT chain drops is freed before any device names it): the probe must still see
   * the loss ping sees, and may leave the drop site unobserved — never put it elsewhere.
   */
  readonly probeUnattributable?: string;
  /**
   * Why hoplens must answer `unknown` for this flow, whatever the kernel does: something on its path
   * it cannot evaluate (an eBPF program, a match hoplens does not know). The suite then requires `unknown`, and an unknown
   * hop whose reason names it, and prints the flow with its allowance.
   */
  readonly traceUnknown?: string;
}

/**
 * A finding the scenario's fault must raise: the rule, and the elements it must name, each as
 * `host/netns` (a namespace) or `host/netns/interface`, with the netns as the host map names it.
 */
export interface ExpectedFinding {
  readonly rule: string;
  readonly subjects: readonly string[];
}

/** What building a scenario takes: namespaces, commands in order (argv arrays), and what it yields. */
export interface LabPlan {
  readonly scenario: string;
  readonly variant: string;
  readonly prefix: string;
  readonly namespaces: readonly string[];
  readonly commands: readonly (readonly string[])[];
  /**
   * Pods plumbed by the real CNI plugins after the commands ran, as a container runtime plumbs them
   * (CNI_COMMAND=ADD); `lab down` DELs them.
   */
  readonly cni?: readonly CniAttachment[];
  /** Files the scenario's hosts would have (a pod VM's apf.json), under labFilesDir(prefix). */
  readonly files?: readonly { readonly path: string; readonly content: string }[];
  readonly hostMap: HostMap;
  /** TCP/UDP servers started after the commands ran. */
  readonly servers?: readonly L4Server[];
  readonly flows: readonly Flow[];
  /**
   * The findings above `info` this variant must raise — all of them: none other may fire. Empty
   * for a fault-free twin. Undefined where the scenario makes no promise (a benchmark's node whose
   * tunnels lead to pod VMs it does not build).
   */
  readonly expected?: readonly ExpectedFinding[];
}

export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly variants: readonly string[];
  readonly plan: (prefix: string, variant: string) => LabPlan;
}
