/** A logical switch port as OVN knows it: its MAC and addresses. */
export interface LogicalPort {
  readonly mac: string;
  readonly ip: string;
}

/** A logical port that ovn-controller has bound on this node: the OVS port that carries it. */
export interface BoundPort extends LogicalPort {
  readonly ovsPort: string;
}

export interface PipelineOptions {
  /** Every logical port of the node's switch (and the router's), bound here or not. */
  readonly logical: readonly LogicalPort[];
  /** The ports ovn-controller bound on this node: only these get port security and delivery flows. */
  readonly bound: readonly BoundPort[];
  /** A NetworkPolicy that denies all ingress to this pod address, as OVN's ACL stage drops it. */
  readonly denyIngressTo?: string;
}

/** OVN's logical ingress stages this pipeline models, one OpenFlow table each. */
export const TABLES = { portSecurity: 0, acl: 10, arpResponder: 20, l2Lookup: 30 } as const;

/**
 * OpenFlow rules modelled on OVN's logical switch ingress pipeline, as far as the lab needs:
 * `ls_in_port_sec_l2` (a bound port only admits frames from the MAC it was given), `ls_in_acl`
 * (NetworkPolicy drops), `ls_in_arp_rsp` (the switch answers ARP for every logical port itself,
 * bound on this node or not — why the seed's worker learnt the pod's CNI MAC) and `ls_in_l2_lkup`
 * (to the bound port owning the destination MAC; broadcasts flood). Cookies stand for OVN's logical
 * flow UUIDs; every drop has its own.
 */
export function ovnPipeline(opts: PipelineOptions): string[] {
  const t = TABLES;
  const flows: string[] = [];
  opts.bound.forEach((p, i) => {
    flows.push(flow(t.portSecurity, 50, 0x5ec00001 + i, `in_port=${p.ovsPort},dl_src=${p.mac}`, `resubmit(,${t.acl})`));
  });
  flows.push(flow(t.portSecurity, 0, 0x5ec0dead, '', 'drop'));
  if (opts.denyIngressTo !== undefined) {
    flows.push(flow(t.acl, 1001, 0xac10dead, `ip,nw_dst=${opts.denyIngressTo}`, 'drop'));
  }
  flows.push(flow(t.acl, 0, 0xac100000, '', `resubmit(,${t.arpResponder})`));
  opts.logical.forEach((p, i) => {
    flows.push(flow(t.arpResponder, 50, 0xa4900001 + i, `arp,arp_op=1,arp_tpa=${p.ip}`, arpReply(p).join(',')));
  });
  flows.push(flow(t.arpResponder, 0, 0xa4900000, '', `resubmit(,${t.l2Lookup})`));
  flows.push(flow(t.l2Lookup, 70, 0x12000000, 'dl_dst=ff:ff:ff:ff:ff:ff', 'FLOOD'));
  opts.bound.forEach((p, i) => {
    flows.push(flow(t.l2Lookup, 50, 0x12000001 + i, `dl_dst=${p.mac}`, `output:${p.ovsPort}`));
  });
  flows.push(flow(t.l2Lookup, 0, 0x1200dead, '', 'drop'));
  return flows;
}

function flow(table: number, priority: number, cookie: number, match: string, actions: string): string {
  const m = match === '' ? '' : `,${match}`;
  return `table=${table},priority=${priority},cookie=0x${cookie.toString(16)}${m},actions=${actions}`;
}

/** OVN's ARP responder: turn the request into the reply in place and send it back where it came from. */
function arpReply(p: LogicalPort): string[] {
  const mac = `0x${p.mac.replaceAll(':', '')}`;
  const ip = `0x${p.ip
    .split('.')
    .map((o) => Number(o).toString(16).padStart(2, '0'))
    .join('')}`;
  return [
    'move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[]',
    `mod_dl_src:${p.mac}`,
    'load:0x2->NXM_OF_ARP_OP[]',
    'move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[]',
    `load:${mac}->NXM_NX_ARP_SHA[]`,
    'move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[]',
    `load:${ip}->NXM_OF_ARP_SPA[]`,
    'IN_PORT',
  ];
}
