#!/usr/bin/env bash
# Checks the load generator on this machine: a thin call of 'gorustbench calibrate --only
# loadgen' (bench/calibrate): closed-loop throughput against wrk at its maximum, CPU per
# request at 10,000 req/s against h2load holding the same rate, and the schedule lag p99
# against the machine's own stalls on the generator's CPU. Exits 1 if a check fails.
set -euo pipefail
[ -x bin/gorustbench ] || { echo "check-loadgen: bin/gorustbench is not built: run make harness" >&2; exit 1; }
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
bin/gorustbench calibrate --only loadgen --mode full --out "$out" "$@"
