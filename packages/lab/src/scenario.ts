import type { HostMap, NetnsRef } from '@hoplens/model';

/** A flow the scenario expects to work or fail, checked by trace and by a real ping. */
export interface Flow {
  readonly from: NetnsRef;
  readonly to: string;
  /** The namespace name to run ping in (the host map's root or netns name). */
  readonly pingNetns: string;
  /** ICMP payload bytes (`ping -s`); absent for ping's default 56. */
  readonly size?: number;
  /** Don't Fragment (`ping -M do`), to find where a large packet no longer fits. */
  readonly df?: boolean;
  /**
   * The kernel's drop reason for a flow that dies (`skb:kfree_skb`: NETFILTER_DROP, OTHERHOST, …),
   * for the suite that confirms drops with the kernel's own probe.
   */
  readonly expectDrop?: string;
  /**
   * Why hoplens must answer `unknown` for this flow, whatever the kernel does: a filter it cannot
   * evaluate (an eBPF program). The suite then checks the trace names it, and nothing else.
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
  /** Files the scenario's hosts would have (a pod VM's apf.json), under labFilesDir(prefix). */
  readonly files?: readonly { readonly path: string; readonly content: string }[];
  readonly hostMap: HostMap;
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
