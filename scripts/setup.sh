#!/usr/bin/env bash
# Installs the pinned toolchain, only what is missing or at the wrong version. Idempotent.
# Prints one line per tool. Registries only: crates.io, npm, Debian.
set -euo pipefail
cd "$(dirname "$0")/.."

CACHE="${PEERING_CONSOLE_CACHE:-$HOME/.cache/peering-console}"
TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132.0.0
# wasm-bindgen-cli must be exactly the version Cargo.lock resolves for the wasm-bindgen crate.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
mkdir -p "$CACHE"
export PATH="$CACHE/binaryen/node_modules/.bin:$HOME/.cargo/bin:$PATH"

say() { printf '%-16s %-10s %s\n' "$1" "$2" "$3"; }

# wasm32 target
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say wasm32-target found "$(rustc --version | cut -d' ' -f2)"
else
    rustup target add wasm32-unknown-unknown >/dev/null
    say wasm32-target installed "$(rustc --version | cut -d' ' -f2)"
fi

# trunk
if [ "$(trunk --version 2>/dev/null || true)" = "trunk $TRUNK_VERSION" ]; then
    say trunk found "$TRUNK_VERSION"
else
    cargo install trunk --version "$TRUNK_VERSION" --locked --quiet
    say trunk installed "$TRUNK_VERSION"
fi

# wasm-bindgen-cli (no --locked: its lockfile pins a webpki-roots release the registry no longer serves)
if [ "$(wasm-bindgen --version 2>/dev/null | cut -d' ' -f1-2 || true)" = "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
    say wasm-bindgen found "$WASM_BINDGEN_VERSION"
else
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force --quiet
    say wasm-bindgen installed "$WASM_BINDGEN_VERSION"
fi

# wasm-opt from npm's binaryen (never Debian's binaryen 108: it produces a blank page)
if "$CACHE/binaryen/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
    say wasm-opt found "binaryen $BINARYEN_VERSION"
else
    npm install --silent --no-audit --no-fund --prefix "$CACHE/binaryen" "binaryen@$BINARYEN_VERSION" >/dev/null
    say wasm-opt installed "binaryen $BINARYEN_VERSION"
fi

# Debian's Chromium and ChromeDriver (Playwright never downloads a browser here)
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    say chromium found "$(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}')"
else
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq chromium chromium-driver >/dev/null
    say chromium installed "$(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}')"
fi

# Debian's nginx: the e2e suite runs the console through deploy/nginx (never started as a service here)
if [ -x /usr/sbin/nginx ] && /usr/sbin/nginx -V 2>&1 | grep -q -- --with-http_sub_module; then
    say nginx found "$(/usr/sbin/nginx -v 2>&1 | cut -d/ -f2)"
else
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq nginx >/dev/null
    say nginx installed "$(/usr/sbin/nginx -v 2>&1 | cut -d/ -f2)"
fi

# Debian's zopfli: the build compresses the wasm with it (about 5% smaller than gzip -9, same format)
if [ -x /usr/bin/zopfli ]; then
    say zopfli found "$(dpkg-query -W -f='${Version}' zopfli 2>/dev/null)"
else
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq zopfli >/dev/null
    say zopfli installed "$(dpkg-query -W -f='${Version}' zopfli 2>/dev/null)"
fi

# Debian's Go and HCL 1 (hashicorp/hcl v1, what `consul config write` parses with): the HCL
# round-trip test reads the console's generated HCL back with it (tests/hcl1/)
if command -v go >/dev/null && [ -d /usr/share/gocode/src/github.com/hashicorp/hcl ]; then
    say go-hcl1 found "$(dpkg-query -W -f='${Version}' golang-github-hashicorp-hcl-dev 2>/dev/null)"
else
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq golang-go golang-github-hashicorp-hcl-dev >/dev/null
    say go-hcl1 installed "$(dpkg-query -W -f='${Version}' golang-github-hashicorp-hcl-dev 2>/dev/null)"
fi

# Playwright test runner, exactly as tests/e2e/package-lock.json pins it, no browser download
want=$(node -e 'const l=require("./tests/e2e/package-lock.json");console.log(l.packages["node_modules/@playwright/test"].version)')
have=$(node -e 'try{console.log(require("./tests/e2e/node_modules/@playwright/test/package.json").version)}catch(e){}' 2>/dev/null || true)
if [ "$have" = "$want" ] && [ tests/e2e/node_modules/.package-lock.json -nt tests/e2e/package-lock.json ]; then
    say playwright found "$want"
else
    (cd tests/e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --silent --no-audit --no-fund >/dev/null)
    say playwright installed "$want"
fi
