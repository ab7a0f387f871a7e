#!/usr/bin/env bash
# A second checkout must build against the shared CARGO_TARGET_DIR (part of the start-fast work): clones this
# commit into a temporary directory (git clone --shared: no copy of the objects), sets every file's
# time far in the past (so cargo finds the shared build fresh and stylers' build script does not
# rerun, as for a clone older than the last build), and runs `trunk build --release` there. Against
# a warm cache that is mostly a no-op: it checks that the bundle gets its stylers CSS regardless.
set -euo pipefail
repo=$(git rev-parse --show-toplevel)
commit=$(git -C "$repo" rev-parse HEAD)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/peering-second-clone.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
git clone --quiet --shared --no-checkout "$repo" "$tmp/clone"
git -C "$tmp/clone" checkout --quiet --detach "$commit"
find "$tmp/clone" -path "$tmp/clone/.git" -prune -o -exec touch -h -d '2001-01-01 00:00:00' {} +
start=$SECONDS
if ! (cd "$tmp/clone" && trunk build --release --dist "$tmp/dist") >"$tmp/build.log" 2>&1; then
  tail -n 30 "$tmp/build.log" >&2
  echo "second clone: trunk build --release failed in a fresh checkout of $commit (log above)" >&2
  exit 1
fi
css=$(find "$tmp/dist" -maxdepth 1 -name 'stylers-*.css' -size +0 | head -n 1)
if [ -z "$css" ]; then
  echo "second clone: the bundle has no (or an empty) stylers CSS" >&2
  exit 1
fi
echo "second clone: builds against the shared target in $((SECONDS - start)) s, stylers CSS $(wc -c <"$css") B"
