#!/usr/bin/env bash
# Sets up a fresh machine that has only Node.js, npm and Debian's apt: pnpm, the workspace
# (better-sqlite3 builds from source), Debian's Chromium, ping, tcpdump, PostgreSQL and Open vSwitch
# for the tests, tracefs for the probe, plotnetcfg for the benchmark, and the web build.
# Safe to run again: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

need_root() { if [ "$(id -u)" -ne 0 ]; then echo "sudo"; fi; }

if ! command -v pnpm >/dev/null 2>&1; then
  echo "==> installing pnpm 10 with npm (corepack's signature check fails against some registries)"
  $(need_root) npm install -g pnpm@10
fi

missing=()
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v ping >/dev/null 2>&1 || missing+=(iputils-ping)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v sysctl >/dev/null 2>&1 || missing+=(procps)
# A C compiler: better-sqlite3 builds from source, and so does the collector's netlink helper.
command -v cc >/dev/null 2>&1 || missing+=(build-essential)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
# The probe's tests read its pcap files back with tcpdump; the probe itself needs no tcpdump.
command -v tcpdump >/dev/null 2>&1 || missing+=(tcpdump)
# PostgreSQL: the tests start their own server from Debian's binaries (initdb, pg_ctl).
compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null || missing+=(postgresql)
# Open vSwitch for the OVN-K lab (the tests start its daemons themselves, in private run directories).
command -v ovs-vswitchd >/dev/null 2>&1 || missing+=(openvswitch-switch)
# The peer `pnpm bench` compares collection against.
command -v plotnetcfg >/dev/null 2>&1 || missing+=(plotnetcfg)
# The collector lists nftables NAT chains; the lab's real CNI plugins write iptables (nft) rules.
command -v nft >/dev/null 2>&1 || missing+=(nftables)
command -v iptables >/dev/null 2>&1 || missing+=(iptables)
# The peer-pod-filters lab blocks a subnet with an ipset (`-m set`), as host firewalls do.
command -v ipset >/dev/null 2>&1 || missing+=(ipset)
[ -x /usr/lib/cni/bridge ] || missing+=(containernetworking-plugins)
# The tunnel-conntrack-unreplied fix deletes the tunnel's entries, and the lab proves it.
command -v conntrack >/dev/null 2>&1 || missing+=(conntrack)
# The kube-service lab connects to its Services (TCP connect, UDP request-reply) with socat.
command -v socat >/dev/null 2>&1 || missing+=(socat)
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing Debian packages: ${missing[*]}"
  $(need_root) apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $(need_root) apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The probe reads the kernel's drop reasons from tracefs; it never mounts it itself.
if [ "$(id -u)" -eq 0 ] && [ ! -d /sys/kernel/tracing/instances ]; then
  echo "==> mounting tracefs at /sys/kernel/tracing"
  mount -t tracefs nodev /sys/kernel/tracing || echo "tracefs could not be mounted: probes will say they cannot see the kernel's drops"
fi

echo "==> installing the workspace"
pnpm install --frozen-lockfile

echo "==> building the web app"
pnpm build >/dev/null
echo "==> ready"
