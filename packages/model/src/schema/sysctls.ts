import Type from 'typebox';

/**
 * A sysctl's value as the kernel holds it. The kernel takes any 32-bit integer for these files
 * (`rp_filter=5` is accepted, and means loose), so the model, not the schema, interprets them.
 */
const int = Type.Optional(Type.Integer({ minimum: -2147483648, maximum: 2147483647 }));

/** `net.ipv4.conf.<dev>.*`: what the kernel checks on an IPv4 path through that device. */
export const Ipv4ConfSchema = Type.Object({
  /** Reverse-path filter: 0 off, 1 strict, 2 loose; the kernel uses the larger of `all` and the device's. */
  rpFilter: int,
  acceptLocal: int,
  routeLocalnet: int,
  arpIgnore: int,
  arpAnnounce: int,
  arpFilter: int,
  proxyArp: int,
  forwarding: int,
});
export type Ipv4Conf = Type.Static<typeof Ipv4ConfSchema>;

/** `net.ipv6.conf.<dev>.*`. */
export const Ipv6ConfSchema = Type.Object({
  disableIpv6: int,
  /** A device's own `forwarding` only changes host/router behaviour; `all` decides forwarding. */
  forwarding: int,
  /** `force_forwarding` (6.17+): this device forwards IPv6 even with `all.forwarding` off. */
  forceForwarding: int,
});
export type Ipv6Conf = Type.Static<typeof Ipv6ConfSchema>;

/** The per-device configuration of both families, for `all` or one device. */
export const NetConfSchema = Type.Object({
  ipv4: Type.Optional(Ipv4ConfSchema),
  ipv6: Type.Optional(Ipv6ConfSchema),
});
export type NetConf = Type.Static<typeof NetConfSchema>;

/**
 * The sysctls of one namespace that decide a packet's fate (`/proc/sys/net` as seen from inside
 * it). A field is absent where the kernel has no such file (a module not loaded, IPv6 disabled at
 * boot) or the snapshot predates its collection.
 */
export const SysctlsSchema = Type.Object({
  /** `all`: the kernel combines it with each device's own (rp_filter takes the larger, …). */
  all: NetConfSchema,
  /** Each device's own values, by device name (`lo` left out: it never meets these checks). */
  devices: Type.Array(Type.Object({ name: Type.String(), conf: NetConfSchema })),
  /** net.ipv4.icmp_echo_ignore_all / net.ipv6.icmp.echo_ignore_all: pings are not answered. */
  icmpEchoIgnoreAll: int,
  icmp6EchoIgnoreAll: int,
  /** br_netfilter: bridged IPv4/IPv6/ARP frames pass the iptables/ip6tables/arptables hooks. */
  bridgeNfCallIptables: int,
  bridgeNfCallIp6tables: int,
  bridgeNfCallArptables: int,
  /** Conntrack entries in this namespace, and the table's limit (a full table drops new flows). */
  conntrackCount: int,
  conntrackMax: int,
  /** net.ipv4.ip_local_port_range (IPv6's too): the ports a connect() or an unbound datagram is given. */
  localPortRange: Type.Optional(
    Type.Object({
      start: Type.Integer({ minimum: 0, maximum: 65535 }),
      end: Type.Integer({ minimum: 0, maximum: 65535 }),
    }),
  ),
});
export type Sysctls = Type.Static<typeof SysctlsSchema>;
