import type { Ipv4Conf, Ipv6Conf, NetConf, Sysctls } from '@hoplens/model';
import { LEGACY_TABLES_DIR } from '../sysctlFiles.ts';
import { ParseError } from './parseError.ts';

const V4: Readonly<Record<string, keyof Ipv4Conf>> = {
  rp_filter: 'rpFilter',
  accept_local: 'acceptLocal',
  route_localnet: 'routeLocalnet',
  arp_ignore: 'arpIgnore',
  arp_announce: 'arpAnnounce',
  arp_filter: 'arpFilter',
  proxy_arp: 'proxyArp',
  forwarding: 'forwarding',
};
const V6: Readonly<Record<string, keyof Ipv6Conf>> = {
  disable_ipv6: 'disableIpv6',
  forwarding: 'forwarding',
  force_forwarding: 'forceForwarding',
};
type Scalar = Exclude<keyof Sysctls, 'all' | 'devices' | 'localPortRange'>;
const SCALARS: Readonly<Record<string, Scalar>> = {
  'ipv4/icmp_echo_ignore_all': 'icmpEchoIgnoreAll',
  'ipv6/icmp/echo_ignore_all': 'icmp6EchoIgnoreAll',
  'bridge/bridge-nf-call-iptables': 'bridgeNfCallIptables',
  'bridge/bridge-nf-call-ip6tables': 'bridgeNfCallIp6tables',
  'bridge/bridge-nf-call-arptables': 'bridgeNfCallArptables',
  'netfilter/nf_conntrack_count': 'conntrackCount',
  'netfilter/nf_conntrack_max': 'conntrackMax',
};
const PREFIX = '/proc/sys/net/';
/** The one file whose value is two numbers (see portRange). */
const PORT_RANGE = `${PREFIX}ipv4/ip_local_port_range`;
/** Interface names are at most 15 bytes and hold no '/', ':' or whitespace (dev_valid_name). */
const CONF = /^ipv([46])\/conf\/([^/:\s]{1,15})\/([a-z_0-9]+)$/;
const MAX_LINES = 200_000;

/**
 * Reads `path:value` lines (`grep -rH` over /proc/sys/net, or the netlink helper's copy of the same
 * files) into a namespace's sysctls. Files it does not know are ignored; a line that is not a path
 * under /proc/sys/net with an integer value is refused, as corrupted output.
 */
export function parseSysctls(text: string): Sysctls {
  const out: Sysctls = { all: {}, devices: [] };
  const devices = new Map<string, NetConf>();
  const lines = text.split('\n');
  if (lines.length > MAX_LINES) throw new ParseError(`sysctls: ${lines.length} lines, more than ${MAX_LINES}`);
  // Indexed: unoptimized, as a one-shot `collect` runs it, each step of for-of allocates its result.
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    // The legacy x_tables lists come in the same output; parseLegacyTables reads them.
    if (line === '' || line.startsWith(LEGACY_TABLES_DIR)) continue;
    const colon = line.indexOf(':');
    const path = line.slice(0, colon);
    const value = line.slice(colon + 1).trim();
    if (path === PORT_RANGE) {
      out.localPortRange = portRange(value);
      continue;
    }
    if (colon < 0 || !path.startsWith(PREFIX) || !/^-?\d{1,10}$/.test(value)) {
      throw new ParseError(`sysctls: not a /proc/sys/net path and an integer: ${JSON.stringify(line.slice(0, 80))}`);
    }
    const n = Number(value);
    if (n !== (n | 0)) throw new ParseError(`sysctls: ${path} = ${value} is not a 32-bit integer`);
    const rel = path.slice(PREFIX.length);
    const scalar = SCALARS[rel];
    if (scalar) {
      out[scalar] = n;
      continue;
    }
    const m = CONF.exec(rel);
    if (!m) continue;
    const [, family, dev = '', file = ''] = m;
    // `default` only seeds devices yet to come, and `lo` never meets these checks: not collected.
    if (dev === 'default' || dev === 'lo') continue;
    const conf = dev === 'all' ? out.all : confOf(devices, dev);
    // Set in place: a spread with a computed key made a new dictionary-mode object per line.
    if (family === '4') {
      const key = V4[file];
      if (key) (conf.ipv4 ??= {})[key] = n;
    } else {
      const key = V6[file];
      if (key) (conf.ipv6 ??= {})[key] = n;
    }
  }
  out.devices = [...devices].map(([name, conf]) => ({ name, conf })).sort((a, b) => (a.name < b.name ? -1 : 1));
  return out;
}

/** ip_local_port_range: two ports, low and high (the kernel keeps low ≤ high). */
function portRange(value: string): { start: number; end: number } {
  const m = /^(\d{1,5})\s+(\d{1,5})$/.exec(value);
  const start = Number(m?.[1]);
  const end = Number(m?.[2]);
  if (!m || start > end || end > 65535)
    throw new ParseError(
      `sysctls: ${PORT_RANGE} is not two ports, low and high: ${JSON.stringify(value.slice(0, 40))}`,
    );
  return { start, end };
}

function confOf(devices: Map<string, NetConf>, name: string): NetConf {
  let conf = devices.get(name);
  if (!conf) devices.set(name, (conf = {}));
  return conf;
}
