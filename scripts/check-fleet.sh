#!/usr/bin/env bash
# The fleet's Prometheus path, end to end, against Debian's real components on loopback
# (docs/fleet.md; .ci/run runs it):
#   1. promtool checks and unit-tests the operator's rules (examples/prometheus);
#   2. two tiny runs (the hello workload, Go and Rust) push to a Pushgateway, and the second is
#      also exported as a textfile served by a stand-in for node_exporter, so Prometheus sees
#      it twice, by both routes; promtool check metrics lints the export;
#   3. Prometheus scrapes both with the rules loaded, and its HTTP API must answer the
#      documented queries: the latest and the previous run of the machine, the duplicates
#      merged, the Go/Rust start-up ratio, the hardware join.
# Needs the harness and the hello peers built (make peers) and scripts/setup-fleet.sh.
#   4. a third run serves live metrics: Prometheus scrapes its final state during the grace
#      period after the run, and promtool check metrics lints the live exposition.
# Ports: 19090 (Prometheus), 19091 (Pushgateway), 19100 (textfile), 19064 (live);
# FLEET_PORT_BASE moves them.
set -euo pipefail
cd "$(dirname "$0")/.."
HARNESS=${HARNESS:-bin/gorustbench}
base=${FLEET_PORT_BASE:-19000}
prom_port=$((base + 90)) gw_port=$((base + 91)) txt_port=$((base + 100)) live_port=$((base + 64))
machine=ci-fleet-$$
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
say() { printf 'check-fleet: %s\n' "$*"; }
fail() { say "FAIL: $*"; exit 1; }

say "promtool check rules / test rules"
promtool check rules examples/prometheus/gorustbench.rules.yml >/dev/null
(cd examples/prometheus && promtool test rules gorustbench.rules.test.yml >/dev/null)

prometheus-pushgateway --web.listen-address=127.0.0.1:$gw_port >"$work/gw.log" 2>&1 &
pids+=($!)
mkdir -p "$work/textfile"
(cd "$work/textfile" && exec python3 -m http.server --bind 127.0.0.1 $txt_port >"$work/txt.log" 2>&1) &
pids+=($!)
cat >"$work/prometheus.yml" <<YML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $PWD/examples/prometheus/gorustbench.rules.yml
scrape_configs:
  - job_name: gorustbench
    honor_labels: true
    static_configs:
      - targets: ["127.0.0.1:$gw_port"]
  - job_name: node
    metrics_path: /metrics
    static_configs:
      - targets: ["127.0.0.1:$txt_port"]
  - job_name: gorustbench-live
    static_configs:
      - targets: ["127.0.0.1:$live_port"]
YML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address=127.0.0.1:$prom_port >"$work/prom.log" 2>&1 &
pids+=($!)

wait_for() { # url
  for _ in $(seq 100); do curl -fs -o /dev/null "$1" && return 0; sleep 0.2; done
  fail "$1 did not answer"
}
wait_for "http://127.0.0.1:$gw_port/-/ready"
wait_for "http://127.0.0.1:$prom_port/-/ready"

run() { # out
  "$HARNESS" run --calibrate off --profile smoke --workloads hello --impls go,rust --repeat 3 --machine "$machine" \
    --pushgateway "http://127.0.0.1:$gw_port" --out "$1" >"$1.log" 2>&1 || { cat "$1.log"; fail "run $1"; }
  sed -n 's/^run \([^:]*\):.*/\1/p' "$1.log"
}
say "two runs of hello (Go, Rust), pushed"
run1=$(run "$work/run1")
run2=$(run "$work/run2")
"$HARNESS" export --format prom "$work/run2" >"$work/textfile/metrics"
say "promtool check metrics on the export"
promtool check metrics <"$work/textfile/metrics" || fail "promtool check metrics"
grep -q '_ns' "$work/textfile/metrics" && fail "the export still has a _ns name or label"

query() { # PromQL -> one line per series: labels as k=v,... then the value
  curl -fsG "http://127.0.0.1:$prom_port/api/v1/query" --data-urlencode "query=$1" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["status"] == "success", d
for r in d["data"]["result"]:
    m = r["metric"]
    print(",".join(k + "=" + m[k] for k in sorted(m)), r["value"][1])'
}
expect() { # name PromQL pattern: wait up to 30 s for the answer to match the grep -E pattern
  local got=""
  for _ in $(seq 60); do
    got=$(query "$2")
    if printf '%s\n' "$got" | grep -Eq "$3"; then say "ok: $1"; return 0; fi
    sleep 0.5
  done
  printf 'query: %s\nanswer:\n%s\n' "$2" "$got"
  fail "$1: no answer matches $3"
}
m="machine=\"$machine\""
expect "both runs arrived by push, the second also by textfile" \
  "count by (run_id) (gorustbench_run_started_timestamp_seconds{$m})" "run_id=$run2 2\$"
expect "latest run per machine" \
  "gorustbench:run_latest_started_timestamp_seconds{$m}" ",machine=$machine,run_id=$run2 "
expect "previous run per machine" \
  "gorustbench:run_previous_started_timestamp_seconds{$m}" ",machine=$machine,run_id=$run1 "
expect "push and textfile copies merge into one series" \
  "count(max without (job, instance) (gorustbench_result_median_seconds{$m, run_id=\"$run2\", workload=\"hello\", metric=\"exec\", impl=\"go-std\"}))" "^ 1\$"
expect "Go over Rust start-up per claim (latest run)" \
  "gorustbench:claim_go_over_rust:ratio{$m, claim=\"startup-serverless\"}" "claim=startup-serverless.*run_id=$run2.* [0-9.e+-]+\$"
expect "this run against the previous one" \
  "gorustbench:result_median_seconds:latest_over_previous{$m, workload=\"hello\", metric=\"exec\", impl=\"go-std\"}" "impl=go-std.* [0-9.e+-]+\$"
expect "the hardware join (docs/fleet.md)" \
  "max without (job, instance) (gorustbench_result_median_seconds{$m, workload=\"hello\", metric=\"exec\"}) * on (machine, run_id) group_left (cpu, cpus) max without (job, instance) (gorustbench_machine_info)" "cpus=[0-9]+.*impl=rust-std.*run_id=$run2"
expect "the identity: commit and pack" \
  "max without (job, instance) (gorustbench_run_info{$m, run_id=\"$run2\"})" "commit=[0-9a-f]+.*pack=none"
say "a live run: its final state is scraped in the grace period after it"
"$HARNESS" run --calibrate off --profile smoke --workloads hello --impls go --repeat 1 --machine "$machine" \
  --metrics-addr 127.0.0.1:$live_port --metrics-grace 60s --out "$work/run3" >"$work/run3.log" 2>&1 &
live_pid=$!
pids+=($live_pid)
for _ in $(seq 120); do grep -q "serving the final figures" "$work/run3.log" && break; sleep 0.5; done
grep -q "serving the final figures" "$work/run3.log" || { cat "$work/run3.log"; fail "the live run did not reach its grace period"; }
curl -fs "http://127.0.0.1:$live_port/metrics" >"$work/live.prom"
promtool check metrics <"$work/live.prom" || fail "promtool check metrics on the live endpoint"
expect "the live run's final state, scraped after it ended" \
  "gorustbench_run_state{job=\"gorustbench-live\", $m, state=\"complete\"}" " 1\$"
kill -INT $live_pid
wait $live_pid || fail "the live run after Ctrl-C in its grace period"

say "every query of docs/fleet.md answers (all but the week-old-run one with data)"
python3 - "$prom_port" docs/fleet.md <<'PY' || fail "a documented query"
import json, re, sys, urllib.parse, urllib.request
port, path = sys.argv[1], sys.argv[2]
bad = n = 0
for block in re.findall(r"```promql\n(.*?)```", open(path).read(), re.S):
    for chunk in block.split("\n\n"):
        q = "\n".join(l for l in chunk.splitlines() if not l.lstrip().startswith("#")).strip()
        if not q:
            continue
        n += 1
        url = "http://127.0.0.1:%s/api/v1/query?%s" % (port, urllib.parse.urlencode({"query": q}))
        try:
            d = json.load(urllib.request.urlopen(url))
        except Exception as e:
            print("check-fleet: %s: %s" % (q, e)); bad += 1; continue
        if d.get("status") != "success" or (not d["data"]["result"] and "7 * 86400" not in q):
            print("check-fleet: no answer to:\n%s\n%s" % (q, d)); bad += 1
print("check-fleet: %d documented queries" % n)
sys.exit(bad)
PY
say "the Grafana dashboard's queries"
python3 - "$prom_port" examples/prometheus/grafana-dashboard.json <<'PY' || fail "a dashboard query"
import json, sys, urllib.parse, urllib.request
port, path = sys.argv[1], sys.argv[2]
bad = 0
for p in json.load(open(path))["panels"]:
    for t in p["targets"]:
        q = t["expr"].replace("$machine", ".*")
        url = "http://127.0.0.1:%s/api/v1/query?%s" % (port, urllib.parse.urlencode({"query": q}))
        try:
            d = json.load(urllib.request.urlopen(url))
        except Exception as e:
            print("check-fleet: panel %r: %s: %s" % (p["title"], q, e)); bad += 1; continue
        if d.get("status") != "success":
            print("check-fleet: panel %r: %s: %s" % (p["title"], q, d)); bad += 1
sys.exit(bad)
PY
say "PASS"
