/**
 * The files under /proc/sys/net the collector reads in each namespace, by base name: per device
 * (and `all`) under ipv4/conf and ipv6/conf, and global ones. The iproute2 backend hands them to
 * `grep -r --include`; the netlink backend reads `all` and the global ones in native/nldump.c and
 * each device's from its link dump (keep all three in step: the backend-equality test compares
 * them). `default` only seeds devices yet to come and `lo` never meets these checks: both are left
 * out. The helper reads the bridge ones only where the namespace holds a bridge and
 * nf_conntrack_max only where it tracks connections; relevantSysctls.ts drops the others from what
 * grep read, so both backends agree.
 */
export const SYSCTL_FILES = [
  'rp_filter',
  'accept_local',
  'route_localnet',
  'arp_ignore',
  'arp_announce',
  'arp_filter',
  'proxy_arp',
  'forwarding',
  'force_forwarding',
  'disable_ipv6',
  'icmp_echo_ignore_all',
  'echo_ignore_all',
  'ip_local_port_range',
  'bridge-nf-call-iptables',
  'bridge-nf-call-ip6tables',
  'bridge-nf-call-arptables',
  'nf_conntrack_count',
  'nf_conntrack_max',
] as const;

/** Where the kernel lists a namespace's legacy (x_tables) tables, one name a line. */
export const LEGACY_TABLES_DIR = '/proc/net/';
export const LEGACY_TABLE_FILES = ['ip_tables_names', 'ip6_tables_names', 'arp_tables_names'] as const;

/**
 * `grep` printing `path:value` for every such file in the namespace it runs in, and the names of its
 * legacy iptables tables (which tell whether iptables-legacy-save is worth running): one process.
 */
export const SYSCTL_GREP = [
  'grep',
  '-rsH',
  ...[...SYSCTL_FILES, ...LEGACY_TABLE_FILES].map((f) => `--include=${f}`),
  '--exclude-dir=default',
  '--exclude-dir=lo',
  '.',
  '/proc/sys/net',
  ...LEGACY_TABLE_FILES.map((f) => `${LEGACY_TABLES_DIR}${f}`),
];
