#!/usr/bin/env bash
# Cross-checks the harness's start-up clock: the median exec-to-exit of a hello peer as the
# harness measures it, against hyperfine -N on the same binary with the same arguments, pinned
# to the same CPU, in the same minute. Prints both medians and their ratio; exits 1 if they
# differ by more than 15%.
#   scripts/check-startup.sh [c|go|rust]     (default c; RUNS=300)
set -euo pipefail
impl=${1:-c}
runs=${RUNS:-300}
case "$impl" in
  c) binary=cpeers/bin/hello ;;
  go) binary=workloads/bin/hello ;;
  rust) binary=rustpeers/target/release/hello ;;
  *) echo "check-startup: unknown implementation '$impl' (c, go or rust)" >&2; exit 2 ;;
esac
command -v hyperfine >/dev/null || { echo "check-startup: hyperfine is missing: run scripts/setup.sh" >&2; exit 1; }
[ -x "$binary" ] || { echo "check-startup: $binary is not built: run make peers" >&2; exit 1; }
[ -x bin/gorustbench ] || { echo "check-startup: bin/gorustbench is not built: run make harness" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cpu=$(( $(nproc) - 1 ))   # the harness pins a one-thread peer to the last CPU
args="--variant std --size 0 --iters 1 --threads 1 --seed 1"

for round in 1 2; do
  bin/gorustbench run --workloads hello --impls "$impl-std" --repeat "$runs" --out "$tmp/run$round" >/dev/null 2>&1 \
    || { echo "check-startup: the harness run failed; see $tmp/run$round/manifest.json" >&2; trap - EXIT; exit 1; }
  taskset -c "$cpu" hyperfine -N --style none --warmup 20 --runs "$runs" --export-json "$tmp/hf$round.json" "$binary $args" >/dev/null 2>"$tmp/hf$round.err"
done
python3 - "$tmp" "$impl" <<'PY'
import json, statistics, sys
tmp, impl = sys.argv[1], sys.argv[2]
name = f"BenchmarkHello/impl={impl}-std"
def harness(path):
    vals = []
    for line in open(path):
        f = line.split()
        if f and f[0] == name:
            vals += [float(f[i]) / 1e9 for i in range(2, len(f) - 1, 2) if f[i + 1] == "exec-ns"]
    return vals
h = harness(f"{tmp}/run1/samples.bench") + harness(f"{tmp}/run2/samples.bench")
hf = sum((json.load(open(f"{tmp}/hf{r}.json"))["results"][0]["times"] for r in (1, 2)), [])
mh, mf = statistics.median(h), statistics.median(hf)
ratio = mh / mf
print(f"{impl} hello exec to exit, median of {len(h)} runs: harness {mh*1e6:.0f} µs, hyperfine -N {mf*1e6:.0f} µs ({len(hf)} runs), ratio {ratio:.3f}")
if abs(ratio - 1) > 0.15:
    print("check-startup: the harness and hyperfine differ by more than 15%", file=sys.stderr)
    sys.exit(1)
PY
