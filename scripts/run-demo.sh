#!/usr/bin/env bash
# `make run`: two stand-in clusters on loopback, each serving the release bundle like a Consul
# agent with ui_config.dir. Always the local demo, whatever CONSUL_HTTP_ADDR says.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${SIM_BIN:?run through make}"
DIST="${DIST_DIR:-$PWD/dist}"
pids=()
stop() {
    trap - INT TERM EXIT
    echo; echo "Stopping dc1 and dc2…"
    kill "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
}
trap stop INT TERM EXIT

start() { # name port peer
    "$SIM_BIN" --listen "127.0.0.1:$2" --datacenter "$1" --ui-dir "$DIST" \
        --seed demo --seed-peer "$3" > >(sed -u "s/^/[$1] /") 2>&1 &
    pids+=($!)
}
start dc1 8500 dc2
start dc2 8501 dc1
for port in 8500 8501; do
    for _ in $(seq 50); do
        curl -fsS -o /dev/null "http://127.0.0.1:$port/v1/peerings" 2>/dev/null && break
        sleep 0.1
    done
done
cat <<MSG

  Consul Peering Console — two local stand-in clusters are running:

    dc1  http://127.0.0.1:8500/ui/
    dc2  http://127.0.0.1:8501/ui/

  Peer them: on dc1, Peers → Add peer connection → Generate token (peer name "dc2") → Copy;
  on dc2, Add peer connection → Establish peering (name "dc1") → paste → Establish peering.
  Press Ctrl-C to stop both.

MSG
wait
