#!/usr/bin/env bash
# Cross-checks the harness's start-up clock against hyperfine -N (same binary, CPU, output
# into a pipe, alternating blocks): a thin call of 'gorustbench calibrate --only startup-clock'
# (bench/calibrate), which does the work and writes calibration.json. Exits 1 if any hello's
# median is more than 15% off hyperfine's.
#   scripts/check-startup.sh        (RUNS below 200 uses the short calibration: 100 runs a side)
set -euo pipefail
[ -x bin/gorustbench ] || { echo "check-startup: bin/gorustbench is not built: run make harness" >&2; exit 1; }
mode=full
[ "${RUNS:-300}" -lt 200 ] && mode=short
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
status=0
bin/gorustbench calibrate --only startup-clock --mode "$mode" --out "$out" >/dev/null || status=$?
[ -f "$out/calibration.json" ] || exit "$status"
python3 - "$out/calibration.json" <<'PY'
import json, sys
for c in json.load(open(sys.argv[1]))["checks"]:
    if c["status"] == "skipped":
        print(f"{c['name']}: skipped ({c.get('note', '')})")
        continue
    print(f"{c['name']}, median of {c['n']} runs: harness {c['measured']/1e3:.0f} µs, hyperfine -N {c['expected']/1e3:.0f} µs, ratio {c['measured']/c['expected']:.3f}: {c['status']}")
PY
exit "$status"
