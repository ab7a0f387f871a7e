#!/usr/bin/env bash
# `make dev`: live-reload development. A stand-in cluster on :8500 answers /v1/, trunk serve
# rebuilds on change and proxies /v1/ to it. The dev server gets its own dist directory: its
# index.html carries trunk's template markers, which a Consul-style server would refuse.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${SIM_BIN:?run through make}"
CACHE="${PEERING_CONSOLE_CACHE:-$HOME/.cache/peering-console}"
"$SIM_BIN" --listen 127.0.0.1:8500 --datacenter dc1 --seed demo --seed-peer dc2 &
sim=$!
trap 'kill $sim 2>/dev/null || true' EXIT INT TERM
echo "Stand-in dc1 API on http://127.0.0.1:8500; console on http://127.0.0.1:8080/ui/"
trunk serve --dist "$CACHE/dist-dev" --public-url /ui/ --port 8080 \
    --proxy-backend http://127.0.0.1:8500/v1/ --proxy-rewrite /v1/
