#!/usr/bin/env bash
# Checks the load generator against wrk on this machine: the same server (the tuned Rust echo,
# one worker thread pinned to the last CPU), the same connection count, each client pinned to
# CPU 0, alternating wrk and gorustbench twice in the same minute. Then an open loop at a
# fixed rate, for the schedule lag. Exits 1 if gorustbench reaches less than 90% of wrk's
# closed-loop throughput or its lag p99 at the fixed rate is 1 ms or more.
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
wrk_rps=() ; ours_rps=()
for round in 1 2; do
  taskset -c 0 wrk -t1 -c"$conns" -d"${secs}s" -s "$tmp/post.lua" "http://$addr/echo" > "$tmp/wrk$round.txt"
  wrk_rps+=("$(awk '/^Requests\/sec/ {print $2}' "$tmp/wrk$round.txt")")
  taskset -c 0 bin/gorustbench attack --addr "$addr" --conns "$conns" --duration "${secs}s" --payload 1024 > "$tmp/ours$round.json"
  ours_rps+=("$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["achieved_rate"])' "$tmp/ours$round.json")")
done
taskset -c 0 bin/gorustbench attack --addr "$addr" --conns "$conns" --rate "$rate" --duration "${secs}s" --payload 1024 > "$tmp/open.json"

python3 - "$tmp" "$impl" "$conns" "$rate" "${wrk_rps[*]}" "${ours_rps[*]}" <<'PY'
import json, statistics, sys
tmp, impl, conns, rate = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
wrk = [float(x) for x in sys.argv[5].split()]
ours = [float(x) for x in sys.argv[6].split()]
o = json.load(open(f"{tmp}/open.json"))
ratio = statistics.median(ours) / statistics.median(wrk)
lag = o["schedule_lag"]["p99_ns"] / 1e6
print(f"server {impl}, 1 thread; clients on CPU 0, {conns} connections, 1 KiB POST /echo")
print(f"closed loop: wrk {' '.join(f'{x:.0f}' for x in wrk)} req/s, gorustbench {' '.join(f'{x:.0f}' for x in ours)} req/s: ratio of medians {ratio:.3f}")
print(f"open loop at {rate:.0f} req/s: achieved {o['achieved_rate']:.0f}, schedule lag p99 {lag:.3f} ms, latency p99 {o['latency']['p99_ns']/1e6:.3f} ms, errors {o['errors']}, bottleneck: {o.get('bottleneck') or 'none'}")
bad = []
if ratio < 0.9: bad.append(f"throughput {ratio:.3f} of wrk's, below 0.9")
if lag >= 1: bad.append(f"lag p99 {lag:.3f} ms, not under 1 ms")
if bad:
    print("check-loadgen: " + "; ".join(bad), file=sys.stderr); sys.exit(1)
PY
