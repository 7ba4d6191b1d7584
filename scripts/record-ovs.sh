#!/usr/bin/env bash
# Re-records the Open vSwitch fixtures from the real lab (scenario ovn-seed, a real switch on the
# userspace datapath): a snapshot of every variant for the model's tests (packages/model/fixtures);
# what OVS itself prints for the collector's parsers (packages/collector/fixtures/ovs: the OVSDB
# reply to hoplens's selects, dump-flows, dpif/show) and for the tracer's (packages/model/fixtures/
# ovs-traces.json: ofproto/trace answers of the lab's pipeline, and of a scratch bridge whose rules use conntrack,
# nested resubmits, an empty table, a header rewrite, and rules on a TCP source port).
# Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
out=packages/model/fixtures
raw=packages/collector/fixtures/ovs
traces=$(mktemp -d)
prefix=hl-ovnr-
mkdir -p "$raw"
trap 'pnpm -s hoplens lab down --prefix "$prefix" >/dev/null 2>&1 || true; rm -rf "$traces"' EXIT
for variant in ok broken acl-drop iface-id-unknown port-missing; do
  pnpm -s hoplens lab down --prefix "$prefix" >/dev/null 2>&1 || true
  pnpm -s hoplens lab up ovn-seed --variant "$variant" --prefix "$prefix" > "$out/ovn-hostmap.json"
  pnpm -s hoplens collect --hosts "$out/ovn-hostmap.json" --out "$out/ovn-$variant.snapshot.json" --source "OVN-K seed ($variant)"
  echo "recorded $out/ovn-$variant.snapshot.json"
done

run="/run/hoplens-lab/$prefix/worker/ovs"
ctl="$run/ovs-vswitchd.$(cat "$run/ovs-vswitchd.pid").ctl"
vsctl() { ovs-vsctl --db="unix:$run/db.sock" "$@"; }
trace() { ovs-appctl -t "$ctl" ofproto/trace "$@"; }
ofport() { vsctl get interface "$1" ofport; }

# The read-only transaction hoplens sends (collector/src/ovs/readOvsdb.ts, checked by its test).
selects='["Open_vSwitch",
 {"op":"select","table":"Open_vSwitch","where":[],"columns":["ovs_version"]},
 {"op":"select","table":"Bridge","where":[],"columns":["_uuid","name","datapath_type","fail_mode","ports"]},
 {"op":"select","table":"Port","where":[],"columns":["_uuid","name","interfaces","tag"]},
 {"op":"select","table":"Interface","where":[],"columns":["_uuid","name","type","ofport","mac_in_use","external_ids","error"]}]'
printf '%s\n' "$selects" > "$raw/ovsdb-selects.json"
ovsdb-client query "unix:$run/db.sock" "$selects" > "$raw/ovsdb-reply.json"
ovs-ofctl --no-names dump-flows "unix:$run/br-int.mgmt" > "$raw/dump-flows.txt"
ovs-appctl -t "$ctl" dpif/show > "$raw/dpif-show.txt"

# The lab's pipeline (port-missing: pod b is not plugged in), port by port.
mp0=$(ofport ovn-k8s-mp0)
a=$(ofport veth-a)
seed=$(ofport veth-seed)
trace br-int "arp,in_port=$mp0,dl_src=0a:58:0a:84:02:02,dl_dst=ff:ff:ff:ff:ff:ff,arp_op=1,arp_spa=10.132.2.2,arp_tpa=10.132.2.46,arp_sha=0a:58:0a:84:02:02,arp_tha=00:00:00:00:00:00" > "$traces/trace-arp-responder.txt"
trace br-int "icmp,in_port=$mp0,dl_src=0a:58:0a:84:02:02,dl_dst=0a:58:0a:84:02:2e,nw_src=10.132.2.2,nw_dst=10.132.2.46,nw_ttl=64,icmp_type=8,icmp_code=0" --ct-next trk,new > "$traces/trace-output.txt"
trace br-int "icmp,in_port=$seed,dl_src=7e:e5:f7:e6:f5:1a,dl_dst=0a:58:0a:84:02:02,nw_src=10.132.2.46,nw_dst=10.132.2.2,nw_ttl=64,icmp_type=8,icmp_code=0" --ct-next trk,new > "$traces/trace-port-security.txt"
trace br-int "icmp,in_port=$a,dl_src=0a:58:0a:84:02:0a,dl_dst=0a:58:0a:84:02:0b,nw_src=10.132.2.10,nw_dst=10.132.2.11,nw_ttl=64,icmp_type=8,icmp_code=0" --ct-next trk,new > "$traces/trace-no-port.txt"
trace br-int "arp,in_port=$a,dl_src=0a:58:0a:84:02:0a,dl_dst=ff:ff:ff:ff:ff:ff,arp_op=1,arp_spa=10.132.2.10,arp_tpa=10.132.2.99,arp_sha=0a:58:0a:84:02:0a,arp_tha=00:00:00:00:00:00" > "$traces/trace-flood.txt"

# A scratch bridge for what the lab's pipeline does not show: conntrack with recirculation (both
# states), a resubmit that returns (nested), a table without rules, a header rewrite.
vsctl add-br br-test -- set bridge br-test datapath_type=netdev fail-mode=secure
vsctl add-port br-test t1 -- set interface t1 type=internal -- add-port br-test t2 -- set interface t2 type=internal
flows="unix:$run/br-test.mgmt"
ovs-ofctl add-flow "$flows" 'table=0,priority=10,cookie=0xc7,ip,actions=ct(table=5,zone=7)'
ovs-ofctl add-flow "$flows" 'table=5,priority=20,cookie=0xe5,ct_state=+trk+est,ip,actions=resubmit(,6),mod_dl_dst:0a:00:00:00:00:02,output:t2'
ovs-ofctl add-flow "$flows" 'table=5,priority=10,cookie=0x5e,ct_state=+trk+new,ip,actions=ct(commit,zone=7),resubmit(,9)'
ovs-ofctl add-flow "$flows" 'table=6,priority=0,cookie=0x6,actions=load:0x1->NXM_NX_REG0[]'
t1=$(ofport t1)
icmp="icmp,in_port=$t1,dl_src=0a:00:00:00:00:01,dl_dst=0a:00:00:00:00:09,nw_src=10.9.0.1,nw_dst=10.9.0.2,nw_ttl=64,icmp_type=8,icmp_code=0"
trace br-test "$icmp" --ct-next trk,est > "$traces/trace-ct-established.txt"
trace br-test "$icmp" --ct-next trk,new > "$traces/trace-ct-new-miss.txt"
# A TCP port the kernel picks, asked about with a stand-in (32768), on a scratch bridge of its own:
# a rule on the port's top bit (the megaflow covers every ephemeral port), then one on a single port
# too (the megaflow splits them).
vsctl add-br br-ports -- set bridge br-ports datapath_type=netdev fail-mode=secure
vsctl add-port br-ports p1 -- set interface p1 type=internal -- add-port br-ports p2 -- set interface p2 type=internal
ports="unix:$run/br-ports.mgmt"
ovs-ofctl add-flow "$ports" 'table=0,priority=10,tcp,tp_src=0x8000/0x8000,actions=output:p2'
ovs-ofctl add-flow "$ports" 'table=0,priority=5,tcp,actions=drop'
tcp="tcp,in_port=$(ofport p1),dl_src=0a:00:00:00:00:01,dl_dst=0a:00:00:00:00:02,nw_src=10.9.0.1,nw_dst=10.9.0.2,nw_ttl=64,tp_src=32768,tp_dst=8080,tcp_flags=0x002"
trace br-ports "$tcp" > "$traces/trace-tcp-sport-covered.txt"
ovs-ofctl add-flow "$ports" 'table=0,priority=20,tcp,tp_src=40000,actions=drop'
trace br-ports "$tcp" > "$traces/trace-tcp-sport-split.txt"
# The model reads its fixtures as JSON (it has no file system): one object, answer by name, as printed.
node -e 'const fs = require("fs"); const dir = process.argv[1]; const out = {};
  for (const f of fs.readdirSync(dir).sort()) out[f.replace(/^trace-|\.txt$/g, "")] = fs.readFileSync(`${dir}/${f}`, "utf8");
  fs.writeFileSync(process.argv[2], JSON.stringify(out, null, 2) + "\n");' "$traces" packages/model/fixtures/ovs-traces.json
echo "recorded $raw and packages/model/fixtures/ovs-traces.json"
