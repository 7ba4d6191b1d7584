#!/usr/bin/env bash
# Records the drop reasons this kernel's skb:kfree_skb tracepoint can report (its `format` file),
# for the coverage table's test: every reason there must have a row. Run it on the kernel the lab
# runs on, as root when tracefs is not mounted yet.
set -euo pipefail
cd "$(dirname "$0")/.."
tracing=/sys/kernel/tracing
format=$tracing/events/skb/kfree_skb/format
if [ ! -r "$format" ]; then
  mountpoint -q "$tracing" || mount -t tracefs nodev "$tracing"
fi
out=packages/lab/src/coverage/kernelDropReasons.json
node -e '
  const fs = require("node:fs");
  const [format, kernel, out] = process.argv.slice(1);
  const text = fs.readFileSync(format, "utf8");
  const reasons = [...text.matchAll(/\{ (\d+), "([A-Z0-9_]+)" \}/g)].map((m) => m[2]).filter((r) => r !== "MAX");
  if (reasons.length < 50) throw new Error(`only ${reasons.length} reasons in ${format}`);
  fs.writeFileSync(out, JSON.stringify({ kernel, source: format, reasons }, null, 2) + "\n");
  console.log(`${reasons.length} drop reasons of ${kernel} written to ${out}`);
' "$format" "$(uname -r)" "$out"
