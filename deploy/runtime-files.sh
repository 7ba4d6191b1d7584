#!/usr/bin/env bash
# Lays out in OUT what the runtime image holds: the built CLI (pnpm build), its production
# dependencies (better-sqlite3 only: everything else is bundled) and the native helpers compiled.
# No sources: the helpers' C files, better-sqlite3's sources and object files are left out.
# deploy/Dockerfile runs it in its builder stage; apps/cli/test/runtimeFiles.test.ts runs the agent
# and the server from what it lays out, with nothing else reachable.
set -euo pipefail
out=$(realpath -m "${1:?usage: deploy/runtime-files.sh OUT_DIR}")
cd "$(dirname "$0")/.."
[ -f apps/cli/dist/hoplens.js ] || { echo "apps/cli/dist is missing: run pnpm build" >&2; exit 1; }
[ -f apps/cli/dist/web/index.html ] || { echo "the dashboard is not in apps/cli/dist: run pnpm build" >&2; exit 1; }
rm -rf "$out"
pnpm --filter hoplens deploy --prod --legacy "$out" >/dev/null

# The helpers (netlink dump, probe capture), compiled as packages/collector/src/netlink/helperBinary.ts
# would on first use: the runtime image has no compiler and a read-only root filesystem.
rm -rf "$out/dist/native/build"
mkdir -p "$out/dist/native/build"
for helper in nldump pcapture; do
  "${CC:-cc}" -O2 -Wall -o "$out/dist/native/build/hoplens-$helper" "$out/dist/native/$helper.c"
  rm "$out/dist/native/$helper.c"
done

# better-sqlite3 needs its compiled addon and its JavaScript, not the SQLite sources it was built from.
for pkg in "$out"/node_modules/.pnpm/better-sqlite3@*/node_modules/better-sqlite3; do
  addon="$pkg/build/Release/better_sqlite3.node"
  [ -f "$addon" ] || { echo "better-sqlite3 is not built in $pkg" >&2; exit 1; }
  mv "$addon" "$out/addon.tmp"
  rm -rf "$pkg/deps" "$pkg/src" "$pkg/build"
  mkdir -p "$pkg/build/Release"
  mv "$out/addon.tmp" "$addon"
done
find "$out/node_modules" \( -name '*.md' -o -name '*.d.ts' -o -name '*.map' -o -name '*.c' -o -name '*.cc' -o -name '*.h' \) -type f -delete
rm -f "$out/node_modules/.modules.yaml"
# pnpm links the package itself back into the workspace; the image has no workspace.
find "$out" -type l | while read -r link; do
  case "$(realpath -m "$link")" in "$out"/*) ;; *) rm "$link" ;; esac
done
