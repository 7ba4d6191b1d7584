/*
 * hoplens-nldump: dumps the rtnetlink state of network namespaces, in-process.
 *
 * Spawning `ip`/`tc`/`bridge` costs a process (about 1.5 ms) per command per namespace; a node with
 * 250 pods has 251 namespaces. This helper enters each namespace with setns(2), asks the kernel
 * over netlink exactly what `ip -d link`, `ip addr`, `ip route` (v4, v6), `ip rule` (v4, v6), `ip neigh`,
 * `bridge fdb`, `tc qdisc`, `tc filter` (ingress and egress of ingress/clsact devices) and
 * `ip netns list-id` ask, and copies the kernel's answers to stdout unchanged. Decoding is done in
 * TypeScript (packages/collector/src/netlink), where it is typed and tested.
 *
 * Usage: hoplens-nldump NETNS_PATH...   ("-" is the namespace the helper was started in)
 *        hoplens-nldump --serve           (one run per request on stdin, see serve() below)
 * Output: frames of [u32 ns index][u32 kind][u32 length][length bytes], little endian.
 *   kinds 1..11: the raw netlink messages of one dump (see enum below), ending with NLMSG_DONE;
 *   kind 12: the nftables chain dump (`nft list chains`), absent where nf_tables cannot be asked
 *            (missing, or the helper runs without CAP_NET_ADMIN);
 *   kind 13: the nf_tables tables (NFT_MSG_GETTABLE over NETLINK_NETFILTER): only names and
 *            families, so that rules are listed (by nft/iptables-save) only where there are any;
 *   kind 14: the rules of the ip family's tables (NFT_MSG_GETRULE, NFPROTO_IPV4), dumped only where
 *            kind 13 holds an ip table: iptables-nft's rules, decoded in src/netlink/iptablesNft/;
 *   kind 15: the ruleset generation (NFT_MSG_GETGEN) before the chain dump and after the rule dump:
 *            rules read across a change (two different ids) are not trusted;
 *   kind 20: ip_forward as one byte '0'/'1' (read as ipv4/conf/all/forwarding: the kernel's same value);
 *   kind 21: nsid map entry: [s32 nsid][u32 index of the namespace it names];
 *   kind 22: "path:value\n" lines of the sysctl files of src/sysctlFiles.ts, as `grep -H` prints them
 *            (`all` and the global ones: each device's come in its link dump's IFLA_AF_SPEC; the
 *            bridge ones only where the link dump holds a bridge; the netfilter ones only where
 *            /proc/net/stat/nf_conntrack does not say the namespace tracks nothing, and where it
 *            does, one line the helper writes itself: nf_conntrack_count:0, the same kernel value),
 *            and of the legacy x_tables table lists (/proc/net/ip_tables_names, …); sent as one frame
 *            per namespace (more only past 16 KiB), the lines of successive frames joined;
 *   kind 23: "port count\n" lines: unreplied UDP conntrack entries by destination port, from
 *            /proc/net/nf_conntrack (src/parse/parseUnreplied.ts); absent where it cannot be read;
 *   kind 24: the listening sockets (`ss -l -n -t -u`): inet_diag answers over NETLINK_SOCK_DIAG for
 *            UDP in TCP_CLOSE (unconnected) and TCP in LISTEN, v4 and v6 (the state tells the
 *            protocol apart), at most MAX_SOCKETS + 1 messages (one more says the list was cut);
 *   kind 25: the proxy neighbour entries (`ip neigh show proxy`): RTM_GETNEIGH with NTF_PROXY;
 *   kind 26: bridge ports' and bridges' VLANs (`bridge -c vlan show`): RTM_GETLINK for AF_BRIDGE with
 *            IFLA_EXT_MASK RTEXT_FILTER_BRVLAN_COMPRESSED, asked only where the link dump holds a bridge;
 *   kind 28: (--serve only) the end of one run: namespace index 0xffffffff, a u32 exit status
 *            (the code, or 128 + the signal that stopped it);
 *   kind 99: an error text for this namespace (the others still go on).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <linux/inet_diag.h>
#include <linux/net_namespace.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/in.h> /* IPPROTO_TCP, IPPROTO_UDP (not <netinet/in.h>: linux/netfilter.h has these) */
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { K_LINK = 1, K_ADDR, K_ROUTE4, K_ROUTE6, K_NEIGH, K_FDB, K_QDISC, K_FILTER_IN, K_FILTER_EG,
       K_RULE4, K_RULE6, K_NFT_CHAINS, K_NFTABLES, K_NFT_RULES, K_NFT_GEN,
       K_FORWARD = 20, K_NSID = 21, K_SYSCTL = 22, K_CT_UNREPLIED = 23, K_SOCKETS = 24, K_PNEIGH = 25, K_BRVLAN = 26, K_RUN_END = 28, K_ERROR = 99 };

static char buf[1 << 20];
static uint32_t seq = 1;

static void out(const void *p, size_t n) {
  if (fwrite(p, 1, n, stdout) != n) exit(3);
}

static void frame(uint32_t ns, uint32_t kind, const void *data, uint32_t len) {
  uint32_t h[3] = {ns, kind, len};
  out(h, sizeof h);
  out(data, len);
}

static void error_frame(uint32_t ns, const char *what) {
  char msg[256];
  int n = snprintf(msg, sizeof msg, "%s: %s", what, strerror(errno));
  frame(ns, K_ERROR, msg, (uint32_t)n);
}

/* A refused dump is reported and the next one still asked (-1 only when the socket itself fails). */
static int dump_error(uint32_t ns, uint32_t kind, struct nlmsghdr *h) {
  struct nlmsgerr *e = NLMSG_DATA(h);
  if (e->error == 0) return 0;
  char msg[128];
  int n = snprintf(msg, sizeof msg, "dump %u refused: %s", kind, strerror(-e->error));
  frame(ns, K_ERROR, msg, (uint32_t)n);
  return 0;
}

/* A dump that fails part way ends with NLMSG_DONE carrying the (negative) error. */
static int done_error(uint32_t ns, uint32_t kind, struct nlmsghdr *h) {
  if (h->nlmsg_len < NLMSG_LENGTH(sizeof(int))) return 0;
  int err = *(int *)NLMSG_DATA(h);
  if (err >= 0) return 0;
  char msg[128];
  int n = snprintf(msg, sizeof msg, "dump %u failed: %s", kind, strerror(-err));
  frame(ns, K_ERROR, msg, (uint32_t)n);
  return 0;
}

typedef void (*scan_fn)(const char *answer, ssize_t len);

/*
 * Sends a request and copies every answer to stdout until NLMSG_DONE (or an error message);
 * `scan`, when given, also looks at each answer.
 */
static int dump(int fd, uint32_t ns, uint32_t kind, struct nlmsghdr *req, scan_fn scan) {
  req->nlmsg_seq = ++seq;
  if (send(fd, req, req->nlmsg_len, 0) < 0) return error_frame(ns, "netlink send"), -1;
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return error_frame(ns, "netlink recv"), -1;
    }
    struct nlmsghdr *first = (struct nlmsghdr *)buf;
    /* nf_tables refuses a helper without CAP_NET_ADMIN: it cannot be asked, as where it is missing. */
    if ((kind == K_NFT_CHAINS || kind == K_NFT_GEN) && NLMSG_OK(first, (size_t)n) && first->nlmsg_type == NLMSG_ERROR &&
        ((struct nlmsgerr *)NLMSG_DATA(first))->error == -EPERM)
      return 0;
    frame(ns, kind, buf, (uint32_t)n);
    if (scan) scan(buf, n);
    for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_seq != seq) continue;
      if (h->nlmsg_type == NLMSG_ERROR) return dump_error(ns, kind, h);
      if (h->nlmsg_type == NLMSG_DONE) return done_error(ns, kind, h);
      if (!(h->nlmsg_flags & NLM_F_MULTI)) return 0;
    }
  }
}

struct gen_req { struct nlmsghdr h; struct rtgenmsg g; char pad[3]; };
/* Link and fdb dumps take a whole struct ifinfomsg (the fdb dump refuses less), as `ip`/`bridge` send. */
struct link_req { struct nlmsghdr h; struct ifinfomsg i; };
struct tc_req { struct nlmsghdr h; struct tcmsg t; };

/* The pneigh table is dumped only when the request's ndmsg asks for NTF_PROXY, as `ip neigh show proxy` does. */
static int dump_pneigh(int fd, uint32_t ns) {
  struct { struct nlmsghdr h; struct ndmsg n; } r = {0};
  r.h.nlmsg_len = NLMSG_LENGTH(sizeof r.n);
  r.h.nlmsg_type = RTM_GETNEIGH;
  r.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  r.n.ndm_family = AF_UNSPEC;
  r.n.ndm_flags = NTF_PROXY;
  return dump(fd, ns, K_PNEIGH, &r.h, NULL);
}

/* Each port's VLANs in runs, as `bridge -c vlan show` asks: the mask rides in an IFLA_EXT_MASK attribute. */
static int dump_bridge_vlans(int fd, uint32_t ns) {
  struct { struct nlmsghdr h; struct ifinfomsg i; struct rtattr a; uint32_t mask; } r = {0};
  r.h.nlmsg_len = sizeof r;
  r.h.nlmsg_type = RTM_GETLINK;
  r.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  r.i.ifi_family = AF_BRIDGE;
  r.a.rta_type = IFLA_EXT_MASK;
  r.a.rta_len = RTA_LENGTH(sizeof r.mask);
  r.mask = RTEXT_FILTER_BRVLAN_COMPRESSED;
  return dump(fd, ns, K_BRVLAN, &r.h, NULL);
}

static int dump_family(int fd, uint32_t ns, uint32_t kind, uint16_t type, uint8_t family) {
  struct gen_req r = {0};
  r.h.nlmsg_len = NLMSG_LENGTH(sizeof r.g);
  r.h.nlmsg_type = type;
  r.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  r.g.rtgen_family = family;
  return dump(fd, ns, kind, &r.h, NULL);
}

static int dump_ifinfo(int fd, uint32_t ns, uint32_t kind, uint16_t type, uint8_t family, scan_fn scan) {
  struct link_req r = {0};
  r.h.nlmsg_len = NLMSG_LENGTH(sizeof r.i);
  r.h.nlmsg_type = type;
  r.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  r.i.ifi_family = family;
  return dump(fd, ns, kind, &r.h, scan);
}

/* Qdiscs (every device: ifindex 0) or the filters under one device's hook (ifindex, parent). */
static int dump_tc(int fd, uint32_t ns, uint32_t kind, uint16_t type, int ifindex, uint32_t parent, scan_fn scan) {
  struct tc_req r = {0};
  r.h.nlmsg_len = NLMSG_LENGTH(sizeof r.t);
  r.h.nlmsg_type = type;
  r.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  r.t.tcm_family = AF_UNSPEC;
  r.t.tcm_ifindex = ifindex;
  r.t.tcm_parent = parent;
  return dump(fd, ns, kind, &r.h, scan);
}

/* An nf_tables request of `type` for `family`: a dump, or (GETGEN) a single answer. */
static int nft_request(int fd, uint32_t ns, uint32_t kind, uint8_t type, uint8_t family, uint16_t flags) {
  struct { struct nlmsghdr h; struct nfgenmsg g; } r = {0};
  r.h.nlmsg_len = NLMSG_LENGTH(sizeof r.g);
  r.h.nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | type;
  r.h.nlmsg_flags = NLM_F_REQUEST | flags;
  r.g.nfgen_family = family;
  r.g.version = NFNETLINK_V0;
  return dump(fd, ns, kind, &r.h, NULL);
}

/* Whether the table dump answered an ip (NFPROTO_IPV4) table: iptables-nft's, or a native one. */
static int saw_ip_table;

static void scan_tables(const char *p, ssize_t n) {
  for (struct nlmsghdr *h = (struct nlmsghdr *)p; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
    if (h->nlmsg_type != ((NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWTABLE)) continue;
    if (h->nlmsg_len >= NLMSG_LENGTH(sizeof(struct nfgenmsg)) &&
        ((struct nfgenmsg *)NLMSG_DATA(h))->nfgen_family == NFPROTO_IPV4)
      saw_ip_table = 1;
  }
}

/* nf_tables tables of every family; a kernel without nf_tables refuses the socket: no tables. Where
 * an ip table exists, its rules too (kind 14), then the generation again (kind 15). */
static void dump_nftables(uint32_t ns) {
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
  if (fd < 0) {
    if (errno != EPROTONOSUPPORT) error_frame(ns, "netfilter socket");
    return;
  }
  struct { struct nlmsghdr h; struct nfgenmsg g; } r = {0};
  r.h.nlmsg_len = NLMSG_LENGTH(sizeof r.g);
  r.h.nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETTABLE;
  r.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  r.g.nfgen_family = AF_UNSPEC;
  r.g.version = NFNETLINK_V0;
  saw_ip_table = 0;
  dump(fd, ns, K_NFTABLES, &r.h, scan_tables);
  if (saw_ip_table) {
    int big = 1 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
    nft_request(fd, ns, K_NFT_RULES, NFT_MSG_GETRULE, NFPROTO_IPV4, NLM_F_DUMP);
    nft_request(fd, ns, K_NFT_GEN, NFT_MSG_GETGEN, AF_UNSPEC, 0);
  }
  close(fd);
}

/* A namespace's kind-22 lines, gathered and sent as one frame (they are ~20 short lines: a frame
 * each was ~4,500 frames on a 250-pod node for the reader to take apart); the reader joins frames. */
static char sys_text[16384];
static size_t sys_used;

static void flush_sysctl_text(uint32_t ns) {
  if (sys_used > 0) frame(ns, K_SYSCTL, sys_text, (uint32_t)sys_used);
  sys_used = 0;
}

static void sysctl_text(uint32_t ns, const char *line, size_t len) {
  if (sys_used + len > sizeof sys_text) flush_sysctl_text(ns);
  memcpy(sys_text + sys_used, line, len);
  sys_used += len;
}

/* The legacy (x_tables) tables of this namespace, one "path:name" line each as `grep -H` prints them;
 * the files looked up in /proc/net (this process's namespace: ours now), opened once. */
static void dump_legacy_tables(uint32_t ns) {
  static const char *const files[] = {"ip_tables_names", "ip6_tables_names", "arp_tables_names", NULL};
  int dir = open("/proc/net", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return;
  for (int i = 0; files[i]; i++) {
    int fd = openat(dir, files[i], O_RDONLY | O_CLOEXEC);
    FILE *f = fd < 0 ? NULL : fdopen(fd, "re");
    if (!f) {
      if (fd >= 0) close(fd);
      continue;
    }
    char name[128], line[256];
    while (fgets(name, sizeof name, f)) {
      name[strcspn(name, "\n")] = 0;
      if (!name[0]) continue;
      int len = snprintf(line, sizeof line, "/proc/net/%s:%s\n", files[i], name);
      if (len > 0 && len < (int)sizeof line) sysctl_text(ns, line, (size_t)len);
    }
    fclose(f);
  }
  close(dir);
}

/* The nsid this namespace gives the namespace behind `target` (-1: none assigned). */
static int32_t nsid_of(int fd, int target) {
  struct { struct nlmsghdr h; struct rtgenmsg g; char pad[3]; struct rtattr a; uint32_t fd; } r = {0};
  r.h.nlmsg_len = sizeof r;
  r.h.nlmsg_type = RTM_GETNSID;
  r.h.nlmsg_flags = NLM_F_REQUEST;
  r.h.nlmsg_seq = ++seq;
  r.g.rtgen_family = AF_UNSPEC;
  r.a.rta_type = NETNSA_FD;
  r.a.rta_len = RTA_LENGTH(sizeof(uint32_t));
  r.fd = (uint32_t)target;
  if (send(fd, &r, sizeof r, 0) < 0) return -1;
  char answer[512];
  ssize_t n = recv(fd, answer, sizeof answer, 0);
  struct nlmsghdr *h = (struct nlmsghdr *)answer;
  if (n < 0 || !NLMSG_OK(h, (size_t)n) || h->nlmsg_type != RTM_NEWNSID) return -1;
  int len = (int)h->nlmsg_len - (int)NLMSG_LENGTH(sizeof(struct rtgenmsg));
  for (struct rtattr *a = (struct rtattr *)((char *)NLMSG_DATA(h) + NLMSG_ALIGN(sizeof(struct rtgenmsg)));
       RTA_OK(a, len); a = RTA_NEXT(a, len)) {
    if (a->rta_type == NETNSA_NSID) return *(int32_t *)RTA_DATA(a);
  }
  return -1;
}

/* Devices with an ingress or clsact qdisc, and the nsids links point at, from the dumps seen. */
static int hooks_if[4096], hooks_clsact[4096], nhooks;
static int32_t wanted_nsids[4096];
static int nwanted;
/* Whether the link dump holds a bridge: only then are VLANs asked for (kind 26). */
static int saw_bridge;

/* Whether an IFLA_LINKINFO names the kind "bridge". */
static int is_bridge(struct rtattr *info) {
  int len = (int)RTA_PAYLOAD(info);
  for (struct rtattr *a = RTA_DATA(info); RTA_OK(a, len); a = RTA_NEXT(a, len))
    if (a->rta_type == IFLA_INFO_KIND && RTA_PAYLOAD(a) >= 7 && memcmp(RTA_DATA(a), "bridge", 7) == 0) return 1;
  return 0;
}

static void scan_qdiscs(const char *p, ssize_t n) {
  for (struct nlmsghdr *h = (struct nlmsghdr *)p; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
    if (h->nlmsg_type != RTM_NEWQDISC) continue;
    struct tcmsg *t = NLMSG_DATA(h);
    if (t->tcm_parent != TC_H_INGRESS) continue;
    int len = (int)h->nlmsg_len - (int)NLMSG_LENGTH(sizeof *t);
    for (struct rtattr *a = (struct rtattr *)((char *)t + NLMSG_ALIGN(sizeof *t)); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
      if (a->rta_type == TCA_KIND && nhooks < 4096) {
        hooks_if[nhooks] = t->tcm_ifindex;
        hooks_clsact[nhooks++] = strcmp((char *)RTA_DATA(a), "clsact") == 0;
      }
    }
  }
}

static void scan_links(const char *p, ssize_t n) {
  for (struct nlmsghdr *h = (struct nlmsghdr *)p; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
    if (h->nlmsg_type != RTM_NEWLINK) continue;
    struct ifinfomsg *i = NLMSG_DATA(h);
    int len = (int)h->nlmsg_len - (int)NLMSG_LENGTH(sizeof *i);
    for (struct rtattr *a = IFLA_RTA(i); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
      if (a->rta_type == IFLA_LINKINFO && is_bridge(a)) saw_bridge = 1;
      if (a->rta_type != IFLA_LINK_NETNSID) continue;
      int32_t id = *(int32_t *)RTA_DATA(a);
      int seen = 0;
      for (int k = 0; k < nwanted; k++) seen |= wanted_nsids[k] == id;
      if (!seen && nwanted < 4096) wanted_nsids[nwanted++] = id;
    }
  }
}

/* The sysctl files read in each namespace, by path: `all`'s per-device settings and the global
 * ones (keep in step with src/sysctlFiles.ts). Each device's own come with its link dump
 * (IFLA_AF_SPEC), so no file is opened per device: /proc/sys costs the kernel ~14 us an open. */
static const char *const CONF4[] = {"rp_filter", "accept_local", "route_localnet", "arp_ignore",
                                    "arp_announce", "arp_filter", "proxy_arp", "forwarding", NULL};
static const char *const CONF6[] = {"disable_ipv6", "forwarding", "force_forwarding", NULL};
static const char *const GLOBALS[] = {"ipv4/icmp_echo_ignore_all", "ipv6/icmp/echo_ignore_all",
                                      "ipv4/ip_local_port_range", NULL};
/* br_netfilter's switches act on the bridges of their own namespace: read only where the link dump
 * holds one (saw_bridge), as src/relevantSysctls.ts keeps them only there for both backends. */
static const char *const BRIDGE_NF[] = {"bridge/bridge-nf-call-iptables", "bridge/bridge-nf-call-ip6tables",
                                        "bridge/bridge-nf-call-arptables", NULL};
/* Read only where the namespace tracks connections (see conntrack_entries). */
static const char *const CONNTRACK[] = {"netfilter/nf_conntrack_count", "netfilter/nf_conntrack_max", NULL};

/* Whether this namespace's nf_conntrack_count read "0" (dump_unreplied then reads no table). */
static int conntrack_empty;

/*
 * One "path:value" line, as `grep -H` prints it (`dir`/`file`); a file that is not there is left
 * out. `at` is `dir` opened: a path from /proc/sys costs the kernel a lookup per component among
 * every namespace's entries of that name (~15 us an open on a 250-pod node), one from `at` only
 * the last ones. The value is kept in `value` (empty where not read).
 */
static char value[64];
static void sysctl_line(uint32_t ns, int at, const char *dir, const char *file) {
  char line[600];
  value[0] = 0;
  int f = openat(at, file, O_RDONLY | O_CLOEXEC);
  if (f < 0) return;
  ssize_t n = read(f, value, sizeof value - 1);
  close(f);
  if (n <= 0) {
    value[0] = 0;
    return;
  }
  value[n] = 0;
  value[strcspn(value, "\n")] = 0;
  int len = snprintf(line, sizeof line, "%s/%s:%s\n", dir, file, value);
  if (len > 0 && len < (int)sizeof line) sysctl_text(ns, line, (size_t)len);
}

/*
 * The directories right under /proc/sys/net (ipv4, ipv6, bridge, netfilter), each looked up once
 * per namespace: a name looked up there costs the kernel ~70-90 us on a 250-pod node (each
 * namespace's entry of that name hangs under the one shared /proc/sys/net and is compared in turn),
 * one a level deeper ~5-10 us. Looked up path by path, that was 9 of the ~0.8 ms a namespace's
 * sysctl lines took, 2/3 of the helper's CPU; now 4. A directory that is not there is remembered
 * as such (-1). Closed by close_net_tops once the namespace's lines are read.
 */
#define NET_TOPS 8
static struct {
  char name[16];
  int fd;
} net_tops[NET_TOPS];
static int n_net_tops;

static void close_net_tops(void) {
  for (int i = 0; i < n_net_tops; i++)
    if (net_tops[i].fd >= 0) close(net_tops[i].fd);
  n_net_tops = 0;
}

/* `path`'s first component opened under `net` (or -1; `net` itself for a bare name), and in *rest what follows its '/'. */
static int net_top(int net, const char *path, const char **rest) {
  const char *slash = strchr(path, '/');
  *rest = slash ? slash + 1 : path;
  if (!slash) return net;
  size_t len = (size_t)(slash - path);
  if (len == 0 || len >= sizeof net_tops[0].name) return -1;
  for (int i = 0; i < n_net_tops; i++)
    if (strlen(net_tops[i].name) == len && memcmp(net_tops[i].name, path, len) == 0) return net_tops[i].fd;
  char name[sizeof net_tops[0].name];
  memcpy(name, path, len);
  name[len] = 0;
  if (n_net_tops == NET_TOPS) close_net_tops(); /* more names than kept (not with these lists) */
  int fd = openat(net, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  memcpy(net_tops[n_net_tops].name, name, len + 1);
  net_tops[n_net_tops++].fd = fd;
  return fd;
}

/* /proc/sys/net/ipv4/conf/all and ipv6's: `sub` under the open /proc/sys/net `net`. ip_forward is
 * ipv4's `all` forwarding (devinet.c points both at the same value): sent from that read (kind 20). */
static void dump_all(uint32_t ns, int net, const char *sub, const char *const *files, int forward) {
  char dir[64];
  snprintf(dir, sizeof dir, "/proc/sys/net/%s", sub);
  const char *rest;
  int top = net_top(net, sub, &rest);
  int at = top < 0 ? -1 : openat(top, rest, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (at < 0) return;
  for (int i = 0; files[i]; i++) {
    sysctl_line(ns, at, dir, files[i]);
    if (forward && strcmp(files[i], "forwarding") == 0 && value[0]) frame(ns, K_FORWARD, value, 1);
  }
  close(at);
}

/* The files of `paths` (each "dir/file" under /proc/sys/net, opened as `net`), one line each. */
static void dump_files(uint32_t ns, int net, const char *const *paths) {
  for (int i = 0; paths[i]; i++) {
    char dir[64];
    const char *rest;
    int top = net_top(net, paths[i], &rest);
    if (rest == paths[i]) snprintf(dir, sizeof dir, "/proc/sys/net");
    else snprintf(dir, sizeof dir, "/proc/sys/net/%.*s", (int)(rest - paths[i] - 1), paths[i]);
    value[0] = 0;
    if (top >= 0) sysctl_line(ns, top, dir, rest);
    if (strcmp(paths[i], "netfilter/nf_conntrack_count") == 0) conntrack_empty = strcmp(value, "0") == 0;
  }
}

/*
 * This namespace's conntrack entries, from the first column of /proc/net/stat/nf_conntrack (hex; the
 * kernel prints nf_conntrack_count(net) there, the variable the nf_conntrack_count sysctl shows), or
 * -1 where it cannot be read. /proc/net is the calling thread's namespace and no dentry of it is
 * kept, so it costs a few microseconds, where /proc/sys/net/netfilter costs the ~80 us lookup above.
 */
static long conntrack_entries(void) {
  int f = open("/proc/net/stat/nf_conntrack", O_RDONLY | O_CLOEXEC);
  if (f < 0) return -1;
  char text[512];
  ssize_t n = read(f, text, sizeof text - 1);
  close(f);
  if (n <= 0) return -1;
  text[n] = 0;
  const char *row = strchr(text, '\n'); /* past the header */
  if (!row) return -1;
  char *end;
  unsigned long v = strtoul(row + 1, &end, 16);
  return end == row + 1 || *end != ' ' || v > 0x7fffffffUL ? -1 : (long)v;
}

/* /proc/sys/net is the namespace of whoever opens it: ours now. */
static void dump_sysctls(uint32_t ns) {
  conntrack_empty = 0;
  int net = open("/proc/sys/net", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (net < 0) return;
  dump_all(ns, net, "ipv4/conf/all", CONF4, 1);
  dump_all(ns, net, "ipv6/conf/all", CONF6, 0);
  dump_files(ns, net, GLOBALS);
  if (saw_bridge) dump_files(ns, net, BRIDGE_NF);
  /* A namespace that tracks nothing (most pods): its count, and no nf_conntrack_max, which only
   * weighs against a count (src/relevantSysctls.ts); elsewhere both files, as before. */
  if (conntrack_entries() == 0) {
    static const char zero[] = "/proc/sys/net/netfilter/nf_conntrack_count:0\n";
    sysctl_text(ns, zero, sizeof zero - 1);
    conntrack_empty = 1;
  } else {
    dump_files(ns, net, CONNTRACK);
  }
  close_net_tops();
  close(net);
}

/* Counts of unreplied UDP entries by destination port (as UNREPLIED_AWK in src/parse/parseUnreplied.ts counts them). */
static uint32_t ct_ports[65536];

/* "ipv4 2 udp 17 29 src=… dst=… sport=… dport=4789 [UNREPLIED] src=…": the first dport is the
 * original direction's; [UNREPLIED] only ever follows it. One or more frames, the last maybe empty
 * (the table was read and holds none); nothing where the file cannot be opened. */
static void dump_unreplied(uint32_t ns) {
  /* The table is one for all namespaces: reading it walks every bucket (0.2 ms when empty), so a
   * namespace that tracks nothing (most pods) is answered from its own count (read by dump_sysctls). */
  if (conntrack_empty) {
    frame(ns, K_CT_UNREPLIED, "", 0);
    return;
  }
  FILE *f = fopen("/proc/net/nf_conntrack", "re");
  if (!f) return;
  memset(ct_ports, 0, sizeof ct_ports);
  char *line = NULL;
  size_t cap = 0;
  while (getline(&line, &cap, f) > 0) {
    char proto[16];
    if (sscanf(line, "%*s %*s %15s", proto) != 1 || strcmp(proto, "udp") != 0) continue;
    if (!strstr(line, " [UNREPLIED] ")) continue;
    const char *d = strstr(line, " dport=");
    if (!d) continue;
    unsigned long port = strtoul(d + 7, NULL, 10);
    if (port < 65536) ct_ports[port]++;
  }
  free(line);
  fclose(f);
  char text[4096];
  size_t used = 0;
  for (uint32_t p = 0; p < 65536; p++) {
    if (ct_ports[p] == 0) continue;
    if (used > sizeof text - 32) {
      frame(ns, K_CT_UNREPLIED, text, (uint32_t)used);
      used = 0;
    }
    used += (size_t)snprintf(text + used, sizeof text - used, "%u %u\n", p, ct_ports[p]);
  }
  frame(ns, K_CT_UNREPLIED, text, (uint32_t)used);
}

/* Listening sockets kept per namespace: MAX_LISTENING_SOCKETS of packages/model/src/schema/sockets.ts. */
#define MAX_SOCKETS 1024
enum { ST_CLOSE = 7, ST_LISTEN = 10 }; /* TCP_CLOSE (an unconnected UDP socket), TCP_LISTEN */

/* One inet_diag dump; copies answers while fewer than MAX_SOCKETS + 1 sockets were copied (`*copied`),
 * then reads the rest and drops it, so a namespace with 100,000 sockets costs a bounded output. */
static int dump_inet(int fd, uint32_t ns, uint8_t family, uint8_t proto, uint32_t states, uint32_t *copied) {
  struct { struct nlmsghdr h; struct inet_diag_req_v2 r; } req = {0};
  req.h.nlmsg_len = sizeof req;
  req.h.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
  req.h.nlmsg_seq = ++seq;
  req.r.sdiag_family = family;
  req.r.sdiag_protocol = proto;
  req.r.idiag_states = states;
  if (send(fd, &req, sizeof req, 0) < 0) return error_frame(ns, "sock_diag send"), -1;
  for (;;) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return error_frame(ns, "sock_diag recv"), -1;
    }
    size_t keep = 0;
    int end = 0;
    ssize_t left = n;
    for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)left); h = NLMSG_NEXT(h, left)) {
      if (h->nlmsg_seq != seq) continue;
      if (h->nlmsg_type == NLMSG_ERROR) {
        dump_error(ns, K_SOCKETS, h);
        end = 1;
        break;
      }
      if (h->nlmsg_type == NLMSG_DONE) {
        done_error(ns, K_SOCKETS, h);
        end = 1;
        break;
      }
      if (*copied > MAX_SOCKETS) continue;
      (*copied)++;
      keep = (size_t)((char *)h - buf) + NLMSG_ALIGN(h->nlmsg_len);
    }
    if (keep > (size_t)n) keep = (size_t)n;
    /* Every answer is framed (maybe empty): a frame of this kind says the sockets were asked for. */
    frame(ns, K_SOCKETS, buf, (uint32_t)keep);
    if (end) return 0;
  }
}

/*
 * Whether the namespace has `proto` sockets of a family in its hash tables, from /proc/net/sockstat
 * ("UDP: inuse 0 …") or sockstat6 ("UDP6: inuse 0"): the kernel's per-namespace count of the sockets
 * an inet_diag dump could list (bound UDP, listening or connected TCP). 1 where it cannot be told.
 */
static int in_use(const char *text, const char *proto) {
  char key[16];
  snprintf(key, sizeof key, "\n%s: inuse ", proto);
  const char *at = text ? strstr(text, key) : NULL;
  if (!at) return 1;
  char *end;
  unsigned long n = strtoul(at + strlen(key), &end, 10);
  return end == at + strlen(key) || n > 0;
}

/* A /proc/net file of this namespace ("\n" first, so every line starts with one), or NULL. */
static char *read_net_file(const char *name, char *text, size_t size) {
  int f = open(name, O_RDONLY | O_CLOEXEC);
  if (f < 0) return NULL;
  text[0] = '\n';
  ssize_t n = read(f, text + 1, size - 2);
  close(f);
  if (n <= 0) return NULL;
  text[n + 1] = 0;
  return text;
}

static void dump_sockets(uint32_t ns) {
  /* An inet_diag dump walks the kernel's tables of every namespace (~15 us each on a 250-pod node):
   * one whose count says this namespace has none of its sockets is not asked (most pods have none). */
  char v4[1024], v6[1024];
  const char *s4 = read_net_file("/proc/net/sockstat", v4, sizeof v4);
  const char *s6 = read_net_file("/proc/net/sockstat6", v6, sizeof v6);
  const int want[4] = {in_use(s4, "UDP"), in_use(s6, "UDP6"), in_use(s4, "TCP"), in_use(s6, "TCP6")};
  if (!want[0] && !want[1] && !want[2] && !want[3]) {
    frame(ns, K_SOCKETS, "", 0); /* asked, and none: what four empty dumps say */
    return;
  }
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
  if (fd < 0) {
    error_frame(ns, "sock_diag socket");
    return;
  }
  /* In the order `ss -t -u` prints them, so that a list cut short keeps the same sockets. */
  static const uint8_t family[4] = {AF_INET, AF_INET6, AF_INET, AF_INET6};
  static const uint8_t proto[4] = {IPPROTO_UDP, IPPROTO_UDP, IPPROTO_TCP, IPPROTO_TCP};
  static const uint32_t states[4] = {1u << ST_CLOSE, 1u << ST_CLOSE, 1u << ST_LISTEN, 1u << ST_LISTEN};
  uint32_t copied = 0;
  for (int i = 0; i < 4; i++)
    if (want[i] && dump_inet(fd, ns, family[i], proto[i], states[i], &copied) != 0) break;
  close(fd);
}

/*
 * HOPLENS_NLDUMP_TIMES=1: each process says on stderr the CPU time (its own thread's, so a loaded
 * machine changes it little) each phase took over its namespaces, to see where the helper's time goes.
 */
enum { T_RTNL, T_NFT_CHAINS, T_SYSCTL, T_NFTABLES, T_UNREPLIED, T_SOCKETS, T_PHASES };
static const char *const PHASE_NAMES[T_PHASES] = {"rtnetlink", "nft-chains", "sysctl", "nftables", "unreplied", "sockets"};
static int timing;
static double phase_us[T_PHASES], phase_from;

static double cpu_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

static void phase_end(int phase) {
  if (!timing) return;
  double now = cpu_us();
  phase_us[phase] += now - phase_from;
  phase_from = now;
}

static void report_times(int from, int to) {
  if (!timing) return;
  fprintf(stderr, "hoplens-nldump pid %d, namespaces %d..%d, CPU us:", (int)getpid(), from, to - 1);
  for (int i = 0; i < T_PHASES; i++) fprintf(stderr, " %s %.0f", PHASE_NAMES[i], phase_us[i]);
  fprintf(stderr, "\n");
}

/*
 * Room for the whole output (a 250-pod node: 2.4 MB) where stdout is a socket or a pipe, so the
 * helper never waits for a reader that is still starting up (the CLI starts it before it loads the
 * code that decodes it), and large stdio writes (fewer syscalls than 4 KiB ones). Root may exceed
 * the system's limits (SO_SNDBUFFORCE, CAP_SYS_RESOURCE for pipes); elsewhere they cap it, and the
 * helper only waits more.
 */
static char outbuf[1 << 16];
static void grow_stdout(void) {
  setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
  int want = 8 << 20;
  if (setsockopt(STDOUT_FILENO, SOL_SOCKET, SO_SNDBUFFORCE, &want, sizeof want) == 0) return;
  if (errno != ENOTSOCK) {
    setsockopt(STDOUT_FILENO, SOL_SOCKET, SO_SNDBUF, &want, sizeof want);
    return;
  }
  if (fcntl(STDOUT_FILENO, F_SETPIPE_SZ, want) < 0) fcntl(STDOUT_FILENO, F_SETPIPE_SZ, 1 << 20);
}

/*
 * Two processes, each on half of the namespaces: the kernel's work of a dump (most of the helper's
 * time) runs on two cores, and the reader is given the first namespaces earlier. The second half is
 * dumped by a child into a pipe, which the parent copies to stdout once its own half is written, so
 * the output keeps the namespaces' order. Each process enters namespaces for itself (setns is per
 * thread, and /proc/net follows each process's own). Fewer namespaces than SPLIT_MIN, or a failed
 * fork, and one process does all.
 */
#define SPLIT_MIN 8
static pid_t worker = -1;
static int worker_out = -1;

static void grow_pipe(int fd) {
  if (fcntl(fd, F_SETPIPE_SZ, 8 << 20) < 0) fcntl(fd, F_SETPIPE_SZ, 1 << 20);
}

/* The namespaces [*from, *to) this process dumps. */
static void split_work(int count, int *from, int *to) {
  *from = 0;
  *to = count;
  if (count < SPLIT_MIN) return;
  int p[2];
  if (pipe2(p, O_CLOEXEC) < 0) return;
  if (fflush(stdout) != 0) exit(3); /* nothing buffered may be written twice */
  int mid = count / 2;
  pid_t pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return;
  }
  if (pid == 0) {
    /* Stopped with its parent (a timed-out helper is killed by the reader). */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (dup2(p[1], STDOUT_FILENO) < 0) _exit(2);
    close(p[0]);
    close(p[1]);
    grow_pipe(STDOUT_FILENO);
    *from = mid;
    return;
  }
  close(p[1]);
  worker = pid;
  worker_out = p[0];
  *to = mid;
}

/* The parent, its own half written: the child's half after it, then the child's exit status. */
static int finish_work(void) {
  if (fflush(stdout) != 0) return 3;
  if (worker < 0) return 0;
  for (;;) {
    ssize_t n = read(worker_out, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    for (ssize_t done = 0; done < n;) {
      ssize_t w = write(STDOUT_FILENO, buf + done, (size_t)(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) return 3;
      done += w;
    }
  }
  int status;
  while (waitpid(worker, &status, 0) < 0)
    if (errno != EINTR) return 3;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return 0;
  fprintf(stderr, "hoplens-nldump: the second half's process %s %d\n", WIFEXITED(status) ? "exited" : "was killed by signal",
          WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
  return 3;
}

static int dump_main(int argc, char **argv) {
  grow_stdout();
  int count = argc - 1;
  int *fds = calloc((size_t)(count > 0 ? count : 1), sizeof(int));
  int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  if (!fds || self < 0) return perror("hoplens-nldump"), 2;
  for (int i = 0; i < count; i++) {
    fds[i] = strcmp(argv[i + 1], "-") == 0 ? self : open(argv[i + 1], O_RDONLY | O_CLOEXEC);
  }
  struct stat here;
  if (fstat(self, &here) < 0) return perror("hoplens-nldump"), 2;
  int from, to;
  split_work(count, &from, &to);
  timing = getenv("HOPLENS_NLDUMP_TIMES") != NULL;
  if (timing) phase_from = cpu_us();
  for (int i = from; i < to; i++) {
    uint32_t ns = (uint32_t)i;
    struct stat target;
    if (fds[i] < 0 || fstat(fds[i], &target) < 0) {
      error_frame(ns, "open namespace");
      continue;
    }
    /* Already there (the helper's own namespace, first): no setns, so no privilege needed for it. */
    if (target.st_ino != here.st_ino || target.st_dev != here.st_dev) {
      if (setns(fds[i], CLONE_NEWNET) < 0) {
        error_frame(ns, "setns");
        continue;
      }
      here = target;
    }
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0) {
      error_frame(ns, "netlink socket");
      continue;
    }
    int big = 1 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
    nhooks = 0;
    nwanted = 0;
    saw_bridge = 0;
    if (dump_ifinfo(fd, ns, K_LINK, RTM_GETLINK, AF_UNSPEC, scan_links) == 0 &&
        dump_family(fd, ns, K_ADDR, RTM_GETADDR, AF_UNSPEC) == 0 &&
        dump_family(fd, ns, K_ROUTE4, RTM_GETROUTE, AF_INET) == 0 &&
        dump_family(fd, ns, K_ROUTE6, RTM_GETROUTE, AF_INET6) == 0 &&
        dump_family(fd, ns, K_RULE4, RTM_GETRULE, AF_INET) == 0 &&
        dump_family(fd, ns, K_RULE6, RTM_GETRULE, AF_INET6) == 0 &&
        dump_family(fd, ns, K_NEIGH, RTM_GETNEIGH, AF_UNSPEC) == 0 &&
        dump_ifinfo(fd, ns, K_FDB, RTM_GETNEIGH, AF_BRIDGE, NULL) == 0 &&
        dump_tc(fd, ns, K_QDISC, RTM_GETQDISC, 0, 0, scan_qdiscs) == 0) {
      for (int k = 0; k < nhooks; k++) {
        dump_tc(fd, ns, K_FILTER_IN, RTM_GETTFILTER, hooks_if[k], TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS), NULL);
        if (hooks_clsact[k])
          dump_tc(fd, ns, K_FILTER_EG, RTM_GETTFILTER, hooks_if[k], TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS), NULL);
      }
      /* Name the nsids links point at: ask for each given namespace's nsid until all are named. */
      int left = nwanted;
      for (int j = 0; j < count && left > 0; j++) {
        if (fds[j] < 0) continue;
        int32_t id = nsid_of(fd, fds[j]);
        for (int k = 0; k < nwanted && id >= 0; k++) {
          if (wanted_nsids[k] != id) continue;
          uint32_t entry[2] = {(uint32_t)id, (uint32_t)j};
          frame(ns, K_NSID, entry, sizeof entry);
          wanted_nsids[k] = -2;
          left--;
        }
      }
      dump_pneigh(fd, ns);
      if (saw_bridge) dump_bridge_vlans(fd, ns);
    }
    close(fd);
    phase_end(T_RTNL);
    /* nftables chains (for its NAT base chains), over nfnetlink; without nf_tables, nothing is sent. */
    /* The ruleset generation first (kind 15): the rule dump, later, is trusted only if it has not moved. */
    int nf = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
    if (nf >= 0) {
      nft_request(nf, ns, K_NFT_GEN, NFT_MSG_GETGEN, AF_UNSPEC, 0);
      nft_request(nf, ns, K_NFT_CHAINS, NFT_MSG_GETCHAIN, AF_UNSPEC, NLM_F_DUMP);
      close(nf);
    }
    phase_end(T_NFT_CHAINS);
    dump_sysctls(ns);
    dump_legacy_tables(ns);
    flush_sysctl_text(ns);
    phase_end(T_SYSCTL);
    dump_nftables(ns);
    phase_end(T_NFTABLES);
    dump_unreplied(ns);
    phase_end(T_UNREPLIED);
    dump_sockets(ns);
    phase_end(T_SOCKETS);
  }
  report_times(from, to);
  return finish_work();
}

/* Reads exactly n bytes of stdin (0), or less at its end or on an error (-1). */
static int read_all(void *p, size_t n) {
  for (size_t got = 0; got < n;) {
    ssize_t r = read(STDIN_FILENO, (char *)p + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return -1;
    got += (size_t)r;
  }
  return 0;
}

static int write_all(const void *p, size_t n) {
  for (size_t done = 0; done < n;) {
    ssize_t w = write(STDOUT_FILENO, (const char *)p + done, n - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    done += (size_t)w;
  }
  return 0;
}

/*
 * --serve: one run of the usual dump per request, each in a process forked from this small one, so
 * that a collector asking again and again (a server's schedule, an agent) does not fork itself each
 * time: a fork write-protects all of a large process's memory, and every page it writes afterwards
 * (the whole output it reads, its decoders' heap) faults once, which cost a collection of a 250-pod
 * node more CPU than the decoding. A request on stdin: [u32 count][count NUL-terminated namespace
 * paths]; the run's frames go to stdout, then its end frame (kind 28). stdin's end stops the server.
 */
static int serve(void) {
  signal(SIGPIPE, SIG_DFL);
  for (;;) {
    uint32_t count;
    if (read_all(&count, sizeof count) < 0) return 0;
    if (count > 1 << 20) return 2;
    char **av = calloc((size_t)count + 2, sizeof(char *));
    if (!av) return 2;
    av[0] = "hoplens-nldump";
    for (uint32_t i = 0; i < count; i++) {
      size_t cap = 64, n = 0;
      char *a = malloc(cap);
      for (;;) {
        if (!a || n + 1 >= cap) a = realloc(a, cap *= 2);
        if (!a || n > 4096 || read_all(a + n, 1) < 0) return 2;
        if (a[n] == '\0') break;
        n++;
      }
      av[i + 1] = a;
    }
    pid_t pid = fork();
    if (pid < 0) return 2;
    if (pid == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      exit(dump_main((int)count + 1, av));
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
      if (errno != EINTR) return 2;
    for (uint32_t i = 0; i < count; i++) free(av[i + 1]);
    free(av);
    uint32_t end[4] = {0xffffffffu, K_RUN_END, 4, WIFEXITED(status) ? (uint32_t)WEXITSTATUS(status) : 128u + (uint32_t)WTERMSIG(status)};
    if (write_all(end, sizeof end) < 0) return 3;
  }
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "--serve") == 0) return serve();
  return dump_main(argc, argv);
}
