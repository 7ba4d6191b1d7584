# Sourced by the scripts/record-*.sh that record one lab variant into one fixture. Needs root.
#
# record_lab_fixture PREFIX SCENARIO VARIANT FILE SOURCE [NETNS:ADDRESS]...
#   builds the CLI from this tree, brings the variant up under PREFIX, pings each ADDRESS once from
#   PREFIX+NETNS (so bridges and neighbour tables have learnt what a live node has), collects it with
#   the iproute2 backend (the raw command text is kept for the parser tests) into
#   packages/model/fixtures/FILE, and tears the lab down, also on failure.
record_lab_fixture() {
  local prefix=$1 scenario=$2 variant=$3 file=$4 source=$5
  shift 5
  cd "$(dirname "${BASH_SOURCE[0]}")/../.."
  pnpm -s --filter hoplens build # `pnpm hoplens` runs the built CLI: build it from this tree first
  local out=packages/model/fixtures hostmap warm
  hostmap=$(mktemp)
  # shellcheck disable=SC2064 # expanded now: the trap must name this run's prefix and file
  trap "pnpm -s hoplens lab down --prefix '$prefix' >/dev/null 2>&1 || true; rm -f '$hostmap'" EXIT
  pnpm -s hoplens lab down --prefix "$prefix" >/dev/null 2>&1 || true
  pnpm -s hoplens lab up "$scenario" --variant "$variant" --prefix "$prefix" > "$hostmap"
  for warm in "$@"; do
    ip netns exec "$prefix${warm%%:*}" ping -c1 -W1 "${warm#*:}" >/dev/null || true
  done
  pnpm -s hoplens collect --backend iproute2 --hosts "$hostmap" --out "$out/$file" --source "$source"
  echo "recorded $out/$file"
}
