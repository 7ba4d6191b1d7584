import type { HostMap, NetnsRef } from '@hoplens/model';

/**
 * What the kernel must say when a flow's ping is lost, as the fault implies it: the probe
 * (`hoplens probe`) attributes the drop and the agreement suite checks it against this.
 */
export interface ExpectedKernelDrop {
  /**
   * Any of these: `skb_drop_reason` names as the kernel prints them (OTHERHOST, NETFILTER_DROP,
   * VXLAN_VNI_NOT_FOUND, NO_SOCKET, NEIGH_FAILED, IP_RPFILTER, …), or, when the kernel refuses
   * ping's send before any packet exists, the errno (ENETUNREACH, EMSGSIZE, EPERM).
   */
  readonly reasons: readonly string[];
  /** A kernel function the drop must happen in, where the reason alone says little (NOT_SPECIFIED). */
  readonly location?: string;
}

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
  /** Required for a flow whose ping is lost: the kernel's drop reason the fault implies. */
  readonly kernelDrop?: ExpectedKernelDrop;
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
