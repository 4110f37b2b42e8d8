#!/usr/bin/env bash
# Checks the load generator against wrk on this machine: the same server (the tuned Rust echo,
# one worker thread pinned to the last CPU), the same connection count, each client pinned to
# CPU 0, alternating wrk and gorustbench twice in the same minute. Then an open loop at a
# fixed rate, for the schedule lag and the generator's own CPU per request, next to wrk's (at
# its maximum: wrk cannot hold a rate, and wrk2 is not packaged) and, when h2load is installed
# (Debian: nghttp2-client), next to h2load holding the same rate (--rps), the fair comparison
# (h2load's latencies are printed too: it holds the rate by sending in bursts of about a
# millisecond, which is where its low CPU per request comes from). The open loop runs with the
# default slack, and once with --slack 0 for what the slack saves.
# Exits 1 if gorustbench reaches less than 90% of wrk's closed-loop throughput, its lag p99 at
# the fixed rate is 1 ms or more, or its CPU per request at that rate is more than twice
# h2load's (wrk's at its maximum without h2load).
#   scripts/check-loadgen.sh [impl]   (default rust-hyper; CONNS=32 SECONDS_EACH=10 RATE=10000)
set -euo pipefail
impl=${1:-rust-hyper}
conns=${CONNS:-32}
secs=${SECONDS_EACH:-10}
rate=${RATE:-10000}
case "$impl" in
  rust-*) binary=rustpeers/target/release/echo ;;
  go-*) binary=workloads/bin/echo ;;
  *) echo "check-loadgen: unknown implementation '$impl'" >&2; exit 2 ;;
esac
variant=${impl#*-}
for tool in wrk taskset python3; do
  command -v "$tool" >/dev/null || { echo "check-loadgen: $tool is missing: run scripts/setup.sh" >&2; exit 1; }
done
[ -x "$binary" ] || { echo "check-loadgen: $binary is not built: run make peers" >&2; exit 1; }
[ -x bin/gorustbench ] || { echo "check-loadgen: bin/gorustbench is not built: run make harness" >&2; exit 1; }
[ "$(nproc)" -ge 2 ] || { echo "check-loadgen: needs 2 CPUs to keep client and server apart" >&2; exit 1; }

tmp=$(mktemp -d)
server_cpu=$(( $(nproc) - 1 ))
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
addr=127.0.0.1:$port
taskset -c "$server_cpu" "$binary" --variant "$variant" --threads 1 --addr "$addr" > "$tmp/server.out" 2> "$tmp/server.err" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do grep -q '^READY' "$tmp/server.out" 2>/dev/null && break; sleep 0.05; done
grep -q '^READY' "$tmp/server.out" || { echo "check-loadgen: the server did not print READY: $(cat "$tmp/server.err")" >&2; exit 1; }

cat > "$tmp/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = string.rep("a", 1024)
wrk.headers["Content-Type"] = "application/octet-stream"
LUA
head -c 1024 /dev/zero | tr '\0' a > "$tmp/body"
# cpu FILE CMD...: runs CMD with its output in FILE and prints the CPU seconds (user+sys) it used.
cpu() {
  python3 -c 'import resource, subprocess, sys
r = subprocess.run(sys.argv[2:], stdout=open(sys.argv[1], "w"))
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(u.ru_utime + u.ru_stime)
sys.exit(r.returncode)' "$@"
}
wrk_rps=() ; ours_rps=() ; wrk_cpu=()
for round in 1 2; do
  wrk_cpu+=("$(cpu "$tmp/wrk$round.txt" taskset -c 0 wrk -t1 -c"$conns" -d"${secs}s" -s "$tmp/post.lua" "http://$addr/echo")")
  wrk_rps+=("$(awk '/^Requests\/sec/ {print $2}' "$tmp/wrk$round.txt")")
  taskset -c 0 bin/gorustbench attack --addr "$addr" --conns "$conns" --duration "${secs}s" --payload 1024 > "$tmp/ours$round.json"
  ours_rps+=("$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["achieved_rate"])' "$tmp/ours$round.json")")
done
taskset -c 0 bin/gorustbench attack --addr "$addr" --conns "$conns" --rate "$rate" --duration "${secs}s" --payload 1024 > "$tmp/open.json"
# The same without slack: every request on its own wake-up, for what the default slack saves.
taskset -c 0 bin/gorustbench attack --addr "$addr" --conns "$conns" --rate "$rate" --duration "${secs}s" --payload 1024 --slack 0 > "$tmp/open0.json"
h2_cpu=""
if command -v h2load >/dev/null; then
  # h2load's --rps is per connection (one connection per client here).
  per_conn=$(python3 -c "print($rate / $conns)")
  h2_cpu=$(cpu "$tmp/h2load.txt" taskset -c 0 h2load --h1 -t1 -c"$conns" --rps="$per_conn" -D"$secs" -d "$tmp/body" \
    -H "Content-Type: application/octet-stream" "http://$addr/echo")
fi

python3 - "$tmp" "$impl" "$conns" "$rate" "${wrk_rps[*]}" "${ours_rps[*]}" "${wrk_cpu[*]}" "$h2_cpu" <<'PY'
import json, re, statistics, sys
tmp, impl, conns, rate = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
wrk = [float(x) for x in sys.argv[5].split()]
ours = [float(x) for x in sys.argv[6].split()]
wrk_cpu = [float(x) for x in sys.argv[7].split()]
o = json.load(open(f"{tmp}/open.json"))
ratio = statistics.median(ours) / statistics.median(wrk)
lag = o["schedule_lag"]["p99_ns"] / 1e6
# wrk's CPU per request at its maximum, per round, from the requests it reports.
wrk_n = [int(re.search(r"(\d+) requests in", open(f"{tmp}/wrk{r}.txt").read()).group(1)) for r in (1, 2)]
wrk_us = statistics.median(c / n * 1e6 for c, n in zip(wrk_cpu, wrk_n))
ours_us = o["cpu_per_request_ns"] / 1e3
print(f"server {impl}, 1 thread; clients on CPU 0, {conns} connections, 1 KiB POST /echo")
print(f"closed loop: wrk {' '.join(f'{x:.0f}' for x in wrk)} req/s, gorustbench {' '.join(f'{x:.0f}' for x in ours)} req/s: ratio of medians {ratio:.3f}")
o0 = json.load(open(f"{tmp}/open0.json"))
print(f"open loop at {rate:.0f} req/s, slack {o['slack_ns']/1e3:.0f} us: achieved {o['achieved_rate']:.0f}, schedule lag p99 {lag:.3f} ms, latency mean {o['latency']['mean_ns']/1e6:.3f} ms, p99 {o['latency']['p99_ns']/1e6:.3f} ms, errors {o['errors']}, bottleneck: {o.get('bottleneck') or 'none'}")
print(f"           slack 0: achieved {o0['achieved_rate']:.0f}, schedule lag p99 {o0['schedule_lag']['p99_ns']/1e6:.3f} ms, latency mean {o0['latency']['mean_ns']/1e6:.3f} ms, p99 {o0['latency']['p99_ns']/1e6:.3f} ms, CPU per request {o0['cpu_per_request_ns']/1e3:.1f} us")
print(f"CPU per request: gorustbench {ours_us:.1f} us at {rate:.0f} req/s ({100*o['cpu_util']:.0f}% of its CPU); wrk {wrk_us:.1f} us at its maximum")
ref, ref_name = wrk_us, "wrk's at its maximum"
if sys.argv[8]:
    h2 = open(f"{tmp}/h2load.txt").read()
    m = re.search(r"requests: \d+ total, \d+ started, (\d+) done", h2)
    if m and int(m.group(1)) > 0:
        h2_n = int(m.group(1))
        ref, ref_name = float(sys.argv[8]) / h2_n * 1e6, "h2load's at the same rate"
        t = re.search(r"time for request:\s+(\S+)\s+(\S+)\s+(\S+)", h2)
        lat = f", latency mean {t.group(3)}, max {t.group(2)} (it sends in bursts)" if t else ""
        print(f"                 h2load {ref:.1f} us at {rate:.0f} req/s ({h2_n} requests, fixed rate --rps{lat})")
bad = []
if ratio < 0.9: bad.append(f"throughput {ratio:.3f} of wrk's, below 0.9")
if lag >= 1: bad.append(f"lag p99 {lag:.3f} ms, not under 1 ms")
if ours_us > 2 * ref: bad.append(f"CPU per request {ours_us:.1f} us, more than twice {ref_name} ({ref:.1f} us)")
if bad:
    print("check-loadgen: " + "; ".join(bad), file=sys.stderr); sys.exit(1)
PY
