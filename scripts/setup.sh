#!/usr/bin/env bash
# Checks, and where it can installs, what gorustbench needs to build and measure the peers.
# As root on Debian/Ubuntu it installs missing system packages with apt-get; otherwise it
# prints the exact command to run. Toolchains it cannot install well (Go, Rust) it only checks.
set -euo pipefail

need_pkgs=()
fail=0
say() { printf 'setup: %s\n' "$*"; }

# Toolchains: versions the peers are known to build with.
if ! command -v go >/dev/null; then
  say "Go is missing: install Go 1.26 or newer from https://go.dev/dl and put it on PATH"; fail=1
fi
if ! command -v cargo >/dev/null || ! command -v rustc >/dev/null; then
  say "Rust is missing: install it with rustup (https://rustup.rs), stable 1.85 or newer"; fail=1
elif ! cargo clippy --version >/dev/null 2>&1 || ! cargo fmt --version >/dev/null 2>&1; then
  say "cargo clippy/fmt are missing: rustup component add clippy rustfmt"; fail=1
fi
command -v cc >/dev/null || need_pkgs+=(build-essential)
command -v make >/dev/null || need_pkgs+=(make)
command -v strip >/dev/null || need_pkgs+=(binutils)
command -v python3 >/dev/null || need_pkgs+=(python3)

# OpenBLAS, for the C matrix-multiply baseline: the header and the library must link.
if ! printf '#include <cblas.h>\nint main(void){return 0;}\n' | cc -x c - -o /dev/null -lopenblas >/dev/null 2>&1; then
  need_pkgs+=(libopenblas-dev)
fi
# hyperfine cross-checks the harness's start-up clock (gorustbench calibrate).
command -v hyperfine >/dev/null || need_pkgs+=(hyperfine)
# /usr/bin/time -v is peak RSS's independent reference (gorustbench calibrate).
[ -x /usr/bin/time ] || need_pkgs+=(time)
# wrk is the reference the load generator is checked against (make check-loadgen); optional.
command -v wrk >/dev/null || need_pkgs+=(wrk)
# h2load holds a fixed rate (--rps): the fair reference for the open loop's CPU per request.
command -v h2load >/dev/null || need_pkgs+=(nghttp2-client)

if [ ${#need_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing ${need_pkgs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
  else
    say "missing system packages; run: sudo apt-get update && sudo apt-get install -y ${need_pkgs[*]}"
    fail=1
  fi
fi

# WebAssembly hello builds for the binary-size claim (bench/build/wasm.go); optional: without
# them the build record says "not built" and the claim's size part is not measured. rustup
# cannot add wasm targets offline, so Rust's comes from Debian's own rustc (/usr/bin/rustc,
# 1.63, behind rustup's on PATH) with its wasm32-wasi std and lld; wasm-strip is in wabt.
opt_pkgs=()
if ! [ -d "$(/usr/bin/rustc --print sysroot 2>/dev/null)/lib/rustlib/wasm32-wasi/lib" ] &&
  ! [ -d "$(rustc --print sysroot 2>/dev/null)/lib/rustlib/wasm32-wasip1/lib" ]; then
  opt_pkgs+=(rustc libstd-rust-dev-wasm32 lld-14)
fi
command -v wasm-strip >/dev/null || opt_pkgs+=(wabt)
if [ ${#opt_pkgs[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing ${opt_pkgs[*]} (optional: WebAssembly builds)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${opt_pkgs[@]}" >/dev/null ||
      say "could not install ${opt_pkgs[*]}: the wasm hello builds will be recorded as not built"
  else
    say "optional, for the WebAssembly builds: sudo apt-get install -y ${opt_pkgs[*]}"
  fi
fi

# Headless Chromium renders report.html and compare --format html (scripts/screenshot-report.sh;
# the compare package's browser test skips without it). Optional and large: named, not installed.
command -v chromium >/dev/null || say "optional, to render the HTML pages in a browser: sudo apt-get install -y chromium"

if [ "$fail" != 0 ]; then
  say "not ready (see above)"; exit 1
fi
say "ready: go $(go env GOVERSION), $(rustc -V), $(cc --version | head -n1)"
