/**
 * What joins two devices of a namespace without a bridge (a peer pod's eth0 and its tunnel): an
 * ingress qdisc on `from` and a filter matching every packet (`u32 match u32 0 0`; this kernel
 * lacks `matchall`) of `protocol` (every one by default) that redirects it out of `to`.
 */
export function tcRedirect(ns: string, from: string, to: string, protocol = 'all'): string[][] {
  return [
    ['tc', '-n', ns, 'qdisc', 'add', 'dev', from, 'ingress'],
    ['tc', '-n', ns, 'filter', 'add', 'dev', from, 'ingress', 'protocol', protocol, 'prio', '1']
      .concat(['u32', 'match', 'u32', '0', '0'])
      .concat(['action', 'mirred', 'egress', 'redirect', 'dev', to]),
  ];
}
