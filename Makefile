# The console's two commands: `make run` (local demo) and `make test` (everything CI runs).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

CACHE ?= $(HOME)/.cache/peering-console
# Build caches live outside the clone so warm runs (and fresh clones) reuse them.
export CARGO_TARGET_DIR ?= $(CACHE)/target
export PATH := $(CACHE)/binaryen/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export TRUNK_SKIP_VERSION_CHECK := true
# The stand-in runs as a release build: the workspace's release profile aborts on panic, so a
# fault path that panicked would kill it mid-test (the e2e suite would see it at once).
export SIM_BIN := $(CARGO_TARGET_DIR)/release/consul-sim
export DIST_DIR := $(CURDIR)/dist

CONSUL_HTTP_ADDR ?=

.PHONY: help setup build sim run serve dev test fmt lint unit e2e second-clone bench clean

help:
	@echo "make run     build and start two local stand-in clusters (dc1, dc2) serving the console"
	@echo "make serve   CONSUL_HTTP_ADDR=http://host:8500  serve the console against a real Consul"
	@echo "make dev     live-reload development server (trunk serve) against a stand-in on :8500"
	@echo "make test    every test: fmt, clippy (native + wasm32), cargo test, release build, Playwright"
	@echo "make bench   bundle sizes, time to peers visible, filter latency, memory, idle network, map"

setup:
	@scripts/setup.sh

# Release bundle in dist/ (what Consul's ui_config.dir or a proxy serves).
build: setup
	cargo fetch --quiet
	trunk build --release

sim:
	cargo build --quiet --release -p consul-sim

run: build sim
	@scripts/run-demo.sh

serve:
	@[ -n "$(CONSUL_HTTP_ADDR)" ] || { echo "make serve needs the Consul address: make serve CONSUL_HTTP_ADDR=http://host:8500" >&2; exit 2; }
	@$(MAKE) --no-print-directory build
	@python3 scripts/serve.py --consul "$(CONSUL_HTTP_ADDR)" --dist dist --listen 127.0.0.1:8080 --content-path /ui/

dev: setup sim
	@scripts/dev.sh

fmt:
	cargo fmt --all --check

lint: setup
	cargo clippy --quiet --workspace --all-targets -- -D warnings
	cargo clippy --quiet -p peering-console --target wasm32-unknown-unknown --lib --bins -- -D warnings

unit:
	cargo test --workspace

e2e: build sim
	cd tests/e2e && npx playwright test 2>&1 | tee $(CACHE)/e2e.log
	@echo "e2e: $$(grep -oE '[0-9]+ passed' $(CACHE)/e2e.log | tail -1 | cut -d' ' -f1) passed, 0 failed"

# A second checkout, older than the last build, builds against the same CARGO_TARGET_DIR.
second-clone: setup
	@scripts/check-second-clone.sh

test: setup fmt lint unit e2e second-clone

# Size, speed and network figures against a static-HTML floor (tests/e2e/bench).
bench: build sim
	cd tests/e2e && node bench/run.mjs

clean:
	rm -rf dist target/stylers.css
