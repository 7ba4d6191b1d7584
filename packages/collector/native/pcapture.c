/*
 * hoplens-pcapture: captures one probe's packets on interfaces of several network namespaces.
 *
 * Node has no raw sockets, and tcpdump would take a process per interface and per direction and
 * loses the direction and the kernel's packet type (PACKET_OTHERHOST is the seed fault itself).
 * This helper enters each namespace with setns(2), opens an AF_PACKET socket bound to the
 * interface there (a socket keeps the namespace it was made in), attaches a classic-BPF filter
 * that passes only the probe's packets, and streams what it receives. It changes nothing: the
 * sockets close when it exits, and it exits when its parent dies (PR_SET_PDEATHSIG), when its
 * stdin closes, on SIGTERM/SIGINT, or after MAX_SECONDS.
 *
 * Usage: hoplens-pcapture ICMP_ID SNAPLEN MAX_SECONDS [NETNS_FILE IFNAME ...]
 *   ("-" is the namespace the helper was started in)
 * Output: frames of [u32 socket index][u32 kind][u32 length][length bytes], little endian.
 *   kind 1: a packet: [u64 CLOCK_MONOTONIC ns][u32 length on the wire][u8 packet type][3 pad][bytes]
 *   kind 2: every socket is open and filtering (index: how many); nothing before it was missed
 *   kind 3: at exit, per socket: [u32 packets passed by the filter][u32 dropped for want of buffer]
 *   kind 99: an error text for this socket (the others still capture)
 *
 * The filter passes, on Ethernet devices: ICMP/ICMPv6 with the probe's identifier; ICMP errors
 * quoting such a packet; VXLAN-style UDP whose inner frame is such an ICMP packet; IPv4
 * fragments after the first (no ICMP header to match: userspace keeps those of its own packets);
 * and ARP (a neighbour that gives up drops what waited for it: its requests say which one).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { K_PACKET = 1, K_READY = 2, K_STATS = 3, K_ERROR = 99 };
#define MAX_SOCKETS 64

static volatile sig_atomic_t stop;
static void on_signal(int sig) { (void)sig; stop = 1; }

static void out(const void *p, size_t n) {
  if (fwrite(p, 1, n, stdout) != n) exit(3);
}

static void frame(uint32_t index, uint32_t kind, const void *a, uint32_t alen, const void *b, uint32_t blen) {
  uint32_t h[3] = {index, kind, alen + blen};
  out(h, sizeof h);
  if (alen) out(a, alen);
  if (blen) out(b, blen);
}

static void error_frame(uint32_t index, const char *what) {
  char msg[256];
  int n = snprintf(msg, sizeof msg, "%s: %s", what, strerror(errno));
  frame(index, K_ERROR, msg, (uint32_t)n, NULL, 0);
  fflush(stdout);
}

/* A jump at `at` to absolute targets, as BPF wants them relative to the next instruction. */
#define J(at, code, k, t, f) BPF_JUMP(code, k, (uint8_t)((t) - (at) - 1), (uint8_t)((f) - (at) - 1))
#define ARP 41
#define ACCEPT 42
#define REJECT 43
#define UDP4 24
#define IP6 37

static int attach_filter(int fd, uint16_t id, uint32_t snaplen) {
  struct sock_filter code[] = {
      /* 0 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 12),
      /* 1 */ J(1, BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IP, 3, 2),
      /* 2 */ J(2, BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IPV6, IP6, ARP),
      /* 3 IPv4: a fragment after the first has no ICMP header */
      BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 20),
      /* 4 */ J(4, BPF_JMP | BPF_JSET | BPF_K, 0x1fff, ACCEPT, 5),
      /* 5 X = IP header length */ BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 14),
      /* 6 */ BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 23),
      /* 7 */ J(7, BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_ICMP, 9, 8),
      /* 8 */ J(8, BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_UDP, UDP4, REJECT),
      /* 9 ICMP identifier at 14 + ihl + 4 */ BPF_STMT(BPF_LD | BPF_H | BPF_IND, 18),
      /* 10 */ J(10, BPF_JMP | BPF_JEQ | BPF_K, id, ACCEPT, 11),
      /* 11 an error (unreachable, time exceeded) quotes the packet it is about */
      BPF_STMT(BPF_LD | BPF_B | BPF_IND, 14),
      /* 12 */ J(12, BPF_JMP | BPF_JEQ | BPF_K, 3, 15, 13),
      /* 13 */ J(13, BPF_JMP | BPF_JEQ | BPF_K, 11, 15, 14),
      /* 14 */ BPF_STMT(BPF_RET | BPF_K, 0),
      /* 15 quoted protocol */ BPF_STMT(BPF_LD | BPF_B | BPF_IND, 31),
      /* 16 */ J(16, BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_ICMP, 17, REJECT),
      /* 17 X = outer + quoted header lengths */ BPF_STMT(BPF_LD | BPF_B | BPF_IND, 22),
      /* 18 */ BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xf),
      /* 19 */ BPF_STMT(BPF_ALU | BPF_LSH | BPF_K, 2),
      /* 20 */ BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0),
      /* 21 */ BPF_STMT(BPF_MISC | BPF_TAX, 0),
      /* 22 quoted identifier */ BPF_STMT(BPF_LD | BPF_H | BPF_IND, 26),
      /* 23 */ J(23, BPF_JMP | BPF_JEQ | BPF_K, id, ACCEPT, REJECT),
      /* 24 UDP: inner Ethernet after 8 bytes of UDP and 8 of VXLAN; its type at 14+ihl+28 */
      BPF_STMT(BPF_LD | BPF_H | BPF_IND, 42),
      /* 25 */ J(25, BPF_JMP | BPF_JEQ | BPF_K, ETH_P_IP, 26, REJECT),
      /* 26 inner fragment after the first */ BPF_STMT(BPF_LD | BPF_H | BPF_IND, 50),
      /* 27 */ J(27, BPF_JMP | BPF_JSET | BPF_K, 0x1fff, ACCEPT, 28),
      /* 28 */ BPF_STMT(BPF_LD | BPF_B | BPF_IND, 53),
      /* 29 */ J(29, BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_ICMP, 30, REJECT),
      /* 30 */ BPF_STMT(BPF_LD | BPF_B | BPF_IND, 44),
      /* 31 */ BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xf),
      /* 32 */ BPF_STMT(BPF_ALU | BPF_LSH | BPF_K, 2),
      /* 33 */ BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0),
      /* 34 */ BPF_STMT(BPF_MISC | BPF_TAX, 0),
      /* 35 inner identifier */ BPF_STMT(BPF_LD | BPF_H | BPF_IND, 48),
      /* 36 */ J(36, BPF_JMP | BPF_JEQ | BPF_K, id, ACCEPT, REJECT),
      /* 37 IPv6 without extension headers: ICMPv6 identifier at 14 + 40 + 4 */
      BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 20),
      /* 38 */ J(38, BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_ICMPV6, 39, REJECT),
      /* 39 */ BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 58),
      /* 40 */ J(40, BPF_JMP | BPF_JEQ | BPF_K, id, ACCEPT, REJECT),
      /* 41 ARP: which neighbour a watched interface was asking for when one gave up */
      J(41, BPF_JMP | BPF_JEQ | BPF_K, ETH_P_ARP, ACCEPT, REJECT),
      /* 42 */ BPF_STMT(BPF_RET | BPF_K, snaplen),
      /* 43 */ BPF_STMT(BPF_RET | BPF_K, 0),
  };
  struct sock_fprog prog = {.len = sizeof code / sizeof code[0], .filter = code};
  return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog);
}

/* Opens a filtered socket on `ifname` inside the namespace behind `nsfile`, then returns home. */
static int open_socket(uint32_t index, int home, const char *nsfile, const char *ifname, uint16_t id,
                       uint32_t snaplen) {
  if (strcmp(nsfile, "-") != 0) {
    int ns = open(nsfile, O_RDONLY | O_CLOEXEC);
    if (ns < 0) return error_frame(index, nsfile), -1;
    int r = setns(ns, CLONE_NEWNET);
    close(ns);
    if (r < 0) return error_frame(index, "setns"), -1;
  }
  /* Protocol 0 receives nothing until bind: the filter is in place before the first packet. */
  int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
  int ok = fd >= 0;
  if (!ok) error_frame(index, "socket(AF_PACKET)");
  struct ifreq ifr = {0};
  if (ok && strlen(ifname) >= sizeof ifr.ifr_name) errno = ENAMETOOLONG, error_frame(index, ifname), ok = 0;
  if (ok) {
    strcpy(ifr.ifr_name, ifname);
    if (ioctl(fd, SIOCGIFINDEX, &ifr) < 0) error_frame(index, ifname), ok = 0;
  }
  int ifindex = ifr.ifr_ifindex;
  if (ok && ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) error_frame(index, "SIOCGIFHWADDR"), ok = 0;
  if (ok && ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER && ifr.ifr_hwaddr.sa_family != ARPHRD_LOOPBACK) {
    char msg[128];
    int n = snprintf(msg, sizeof msg, "%s is not an Ethernet device (type %u)", ifname, ifr.ifr_hwaddr.sa_family);
    frame(index, K_ERROR, msg, (uint32_t)n, NULL, 0);
    ok = 0;
  }
  int one = 1, rcvbuf = 4 << 20;
  if (ok && attach_filter(fd, id, snaplen) < 0) error_frame(index, "SO_ATTACH_FILTER"), ok = 0;
  if (ok && setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one) < 0) error_frame(index, "SO_TIMESTAMPNS"), ok = 0;
  /* The filter trims each frame to SNAPLEN; the auxiliary data keeps its length on the wire. */
  if (ok && setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &one, sizeof one) < 0) error_frame(index, "PACKET_AUXDATA"), ok = 0;
  if (ok) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  struct sockaddr_ll sll = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL), .sll_ifindex = ifindex};
  if (ok && bind(fd, (struct sockaddr *)&sll, sizeof sll) < 0) error_frame(index, "bind"), ok = 0;
  if (!ok && fd >= 0) close(fd);
  if (setns(home, CLONE_NEWNET) < 0) {
    error_frame(index, "setns back");
    exit(4);
  }
  return ok ? fd : -1;
}

static uint64_t ns_of(struct timespec t) { return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec; }

/*
 * The kernel stamps packets with CLOCK_REALTIME; tracefs (trace_clock mono) uses CLOCK_MONOTONIC.
 * The offset between the two clocks is read between two monotonic readings, and the narrowest of a
 * few tries wins: a helper preempted between the readings (a loaded machine) would otherwise shift a
 * packet by however long it waited — milliseconds, enough to tie it to another packet's event.
 */
static uint64_t to_monotonic(struct timespec stamp) {
  uint64_t best_width = UINT64_MAX, offset = 0;
  for (int i = 0; i < 5 && best_width > 2000; i++) {
    struct timespec before, real, after;
    clock_gettime(CLOCK_MONOTONIC, &before);
    clock_gettime(CLOCK_REALTIME, &real);
    clock_gettime(CLOCK_MONOTONIC, &after);
    uint64_t width = ns_of(after) - ns_of(before);
    if (width < best_width) {
      best_width = width;
      offset = ns_of(real) - (ns_of(before) + width / 2);
    }
  }
  return ns_of(stamp) - offset;
}

static void receive(uint32_t index, int fd, uint32_t snaplen) {
  static unsigned char data[65536];
  char control[256];
  struct sockaddr_ll from;
  struct iovec iov = {.iov_base = data, .iov_len = snaplen < sizeof data ? snaplen : sizeof data};
  struct msghdr m = {.msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov, .msg_iovlen = 1,
                     .msg_control = control, .msg_controllen = sizeof control};
  ssize_t n = recvmsg(fd, &m, MSG_DONTWAIT | MSG_TRUNC);
  if (n < 0) return;
  struct timespec stamp;
  clock_gettime(CLOCK_REALTIME, &stamp);
  uint32_t wire = (uint32_t)n;
  for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) memcpy(&stamp, CMSG_DATA(c), sizeof stamp);
    if (c->cmsg_level == SOL_PACKET && c->cmsg_type == PACKET_AUXDATA) {
      struct tpacket_auxdata aux;
      memcpy(&aux, CMSG_DATA(c), sizeof aux);
      wire = aux.tp_len;
    }
  }
  struct { uint64_t mono; uint32_t wire; uint8_t type, pad[3]; } __attribute__((packed)) head = {
      to_monotonic(stamp), wire, from.sll_pkttype, {0}};
  uint32_t got = (uint32_t)n < iov.iov_len ? (uint32_t)n : (uint32_t)iov.iov_len;
  frame(index, K_PACKET, &head, sizeof head, data, got);
  fflush(stdout);
}

int main(int argc, char **argv) {
  if (argc < 4 || (argc - 4) % 2 != 0 || (argc - 4) / 2 > MAX_SOCKETS) {
    fprintf(stderr, "usage: hoplens-pcapture ICMP_ID SNAPLEN MAX_SECONDS [NETNS_FILE IFNAME ...] (at most 64)\n");
    return 2;
  }
  /* A parent that dies before this line still closes our stdin, which ends the loop below. */
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  uint16_t id = (uint16_t)strtoul(argv[1], NULL, 10);
  uint32_t snaplen = (uint32_t)strtoul(argv[2], NULL, 10);
  long max_seconds = strtol(argv[3], NULL, 10);
  if (snaplen < 64 || snaplen > 65535 || max_seconds < 1 || max_seconds > 120) {
    fprintf(stderr, "hoplens-pcapture: SNAPLEN must be 64..65535 and MAX_SECONDS 1..120\n");
    return 2;
  }
  struct sigaction sa = {.sa_handler = on_signal};
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);

  int home = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  if (home < 0) return perror("/proc/self/ns/net"), 4;
  uint32_t count = (uint32_t)(argc - 4) / 2;
  struct pollfd fds[MAX_SOCKETS + 1];
  for (uint32_t i = 0; i < count; i++) {
    fds[i].fd = open_socket(i, home, argv[4 + 2 * i], argv[5 + 2 * i], id, snaplen);
    fds[i].events = POLLIN;
  }
  fds[count].fd = STDIN_FILENO;
  fds[count].events = POLLIN;
  frame(count, K_READY, NULL, 0, NULL, 0);
  fflush(stdout);

  struct timespec start, now;
  clock_gettime(CLOCK_MONOTONIC, &start);
  while (!stop) {
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (now.tv_sec - start.tv_sec >= max_seconds) break;
    int r = poll(fds, count + 1, 200);
    if (r < 0 && errno != EINTR) break;
    if (r <= 0) continue;
    if (fds[count].revents & (POLLIN | POLLHUP)) {
      char b[64];
      if (read(STDIN_FILENO, b, sizeof b) <= 0) break; /* whoever started us is done */
    }
    for (uint32_t i = 0; i < count; i++)
      if (fds[i].fd >= 0 && (fds[i].revents & POLLIN)) receive(i, fds[i].fd, snaplen);
  }
  /* What is still queued arrived before the stop: deliver it, then the counts. */
  for (uint32_t i = 0; i < count; i++) {
    if (fds[i].fd < 0) continue;
    for (int k = 0; k < 100000; k++) {
      struct pollfd p = {.fd = fds[i].fd, .events = POLLIN};
      if (poll(&p, 1, 0) <= 0) break;
      receive(i, fds[i].fd, snaplen);
    }
    struct tpacket_stats st;
    socklen_t len = sizeof st;
    if (getsockopt(fds[i].fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) == 0) {
      uint32_t s[2] = {st.tp_packets, st.tp_drops};
      frame(i, K_STATS, s, sizeof s, NULL, 0);
    }
    close(fds[i].fd);
  }
  fflush(stdout);
  return 0;
}
