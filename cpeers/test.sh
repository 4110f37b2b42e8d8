#!/bin/sh
# Tests the C peers in BINDIR (default bin) against bench/peer/PROTOCOL.md and
# workloads/README.md: checksums, result lines, bad command lines. Run by `make check`.
set -eu
BIN=${1:-bin}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fails=0
ok() { printf 'ok   %s\n' "$1"; }
bad() { printf 'FAIL %s\n' "$1"; fails=$((fails + 1)); }

# run NAME PEER ARGS...: runs a peer that must succeed; its stdout is in $TMP/NAME.out and its
# result line, checked against the protocol (valid JSON, fields, echoed params), in $TMP/NAME.json.
run() {
  name=$1; peer=$2; shift 2
  if ! "$BIN/$peer" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err"; then
    bad "$name: $peer $* exited $? ($(cat "$TMP/$name.err"))"; return 0
  fi
  tail -n 1 "$TMP/$name.out" >"$TMP/$name.json"
  if python3 - "$peer" "$TMP/$name.json" "$TMP/$name.out" "$@" <<'PY'
import json, sys
peer, path, out, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
raw = open(out, 'rb').read()
assert raw.endswith(b'\n'), 'stdout does not end with a newline'
line = open(path).read()
r = json.loads(line)
for k, t in [('protocol', int), ('workload', str), ('lang', str), ('variant', str), ('params', dict),
             ('ops', int), ('elapsed_ns', int), ('checksum', str), ('vmhwm_kib', int)]:
    assert isinstance(r.get(k), t), f'{k} missing or not {t.__name__}: {line}'
assert r['protocol'] == 1 and r['lang'] == 'c' and r['workload'] == peer, line
assert all(isinstance(r['params'].get(k), int) for k in ('size', 'iters', 'threads', 'seed')), line
assert r['ops'] >= 1 and r['elapsed_ns'] >= 0 and r['vmhwm_kib'] > 0 and r['checksum'], line
for i, a in enumerate(args):  # every --name value / --name=value given is echoed
    if a.startswith('--') and a[2:].split('=')[0] in ('size', 'iters', 'threads', 'seed'):
        k, v = (a[2:].split('=', 1) + [None])[:2]
        v = v if v is not None else args[i + 1]
        assert r['params'][k] == int(v), f'params.{k} = {r["params"][k]}, want {v}'
    if a == '--variant':
        assert r['variant'] == args[i + 1], line
if '--hiccup' in args and peer != 'hello':
    h = r.get('hiccup')
    assert isinstance(h, dict) and h['interval_ns'] == 1000000, f'no hiccup object: {line}'
    assert h['p50_ns'] <= h['p99_ns'] <= h['p999_ns'], line
PY
  then ok "$name: valid result line"; else bad "$name: result line"; fi
}

field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$TMP/$1.json" "$2"; }

# hello: exactly "hello, world" then the result line, the README's checksum.
run hello hello
if [ "$(head -n 1 "$TMP/hello.out")" = "hello, world" ] && [ "$(wc -l <"$TMP/hello.out")" -eq 2 ] &&
   [ "$(field hello checksum)" = e60e7ee648829675 ]; then ok "hello: output and checksum"
else bad "hello: output or checksum"; fi

# matmul: naive and openblas agree within the suite's tolerance, with 1 and 2 threads.
for t in 1 2; do
  run "matmul-naive-$t" matmul --size 64 --threads "$t" --variant naive
  run "matmul-blas-$t" matmul --size=64 --threads="$t" --variant=openblas --hiccup
done
if python3 - "$TMP"/matmul-*.json <<'PY'
import json, sys
sums = {p: json.load(open(p))['checksum'].split(' ') for p in sys.argv[1:]}
ref = next(iter(sums.values()))
for p, vals in sums.items():
    assert len(vals) == 9, f'{p}: {len(vals)} values'
    for a, b in zip(map(float, ref), map(float, vals)):
        assert abs(a - b) <= 1e-9 * max(abs(a), abs(b)) + 1e-6, f'{p}: {a} vs {b}'
PY
then ok "matmul: naive and openblas checksums agree (n=64, threads 1 and 2)"
else bad "matmul: checksums disagree"; fi
# The naive row split does the same arithmetic per row: 1 and 2 threads agree exactly.
if [ "$(field matmul-naive-1 checksum)" = "$(field matmul-naive-2 checksum)" ]; then
  ok "matmul: naive is identical with 1 and 2 threads"; else bad "matmul: naive differs by threads"; fi

# ffi: acc = 0 + 1 + ... + 999 = 499500.
run ffi ffi --iters 1000
want=$(python3 -c '
h = 0xcbf29ce484222325
for c in b"499500": h = ((h ^ c) * 0x100000001b3) % 2**64
print(format(h, "016x"))')
if [ "$(field ffi checksum)" = "$want" ]; then ok "ffi: checksum of \"499500\""
else bad "ffi: checksum $(field ffi checksum), want $want"; fi

# memhog: 64 MiB touched shows in VmHWM.
run memhog memhog --size 64 --hiccup
if [ "$(field memhog vmhwm_kib)" -ge 65536 ]; then ok "memhog: vmhwm_kib $(field memhog vmhwm_kib) >= 65536"
else bad "memhog: vmhwm_kib $(field memhog vmhwm_kib) < 65536"; fi

# fanout: the table shared with the Go and Rust tests, at several worker counts and capacities;
# workers and capacity echoed.
grep -v '^#' ../workloads/fanout/checksums.txt | while read -r m seed want; do
  [ -n "$m" ] || continue
  for shape in "1 1 1" "3 2 2" "64 7 2"; do
    set -- $shape
    [ "$m" -le 1000 ] || [ "$1" -eq 1 ] || continue  # every shape on small rows only: fast
    name="fanout-$m-$1-$2-$3"
    run "$name" fanout --size "$m" --seed "$seed" --workers "$1" --capacity "$2" --threads "$3"
    got=$(field "$name" checksum); echoed=$(python3 -c 'import json,sys; p=json.load(open(sys.argv[1]))["params"]; print(p["workers"], p["capacity"])' "$TMP/$name.json")
    if [ "$got" = "$want" ] && [ "$echoed" = "$1 $2" ]; then ok "$name: checksum $want, workers and capacity echoed"
    else bad "$name: checksum $got (want $want), echoed $echoed"; fi
  done
done

# footprint: N pthreads parked and joined, the measurements in extra.
run footprint footprint --size 200 --threads 2
if python3 - "$TMP/footprint.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
e = r['extra']
assert r['ops'] == 200, r
for k in ('rss_before_kib', 'rss_parked_kib', 'spawn_ns', 'park_ns', 'join_ns', 'stack_bytes'):
    assert isinstance(e.get(k), int) and e[k] >= 0, (k, e)
h = 0xcbf29ce484222325
for c in b'200': h = ((h ^ c) * 0x100000001b3) % 2**64
assert r['checksum'] == format(h, '016x'), r['checksum']
assert e['rss_before_kib'] > 0 and e['stack_bytes'] > 0, e
PY
then ok "footprint: checksum of \"200\", extra measurements"; else bad "footprint: result line"; fi

# Bad command lines: exit 2, exactly one line on stderr, nothing on stdout.
usage() {
  peer=$1; shift
  desc=$(printf ' %s' "$@" | tr '\n' '~')
  set +e; "$BIN/$peer" "$@" >"$TMP/u.out" 2>"$TMP/u.err"; rc=$?; set -e
  if [ "$rc" -eq 2 ] && [ "$(wc -l <"$TMP/u.err")" -eq 1 ] && [ ! -s "$TMP/u.out" ] &&
     grep -q "^$peer: " "$TMP/u.err"; then ok "$peer$desc: exit 2, $(cat "$TMP/u.err")"
  else bad "$peer$desc: exit $rc, stderr $(wc -l <"$TMP/u.err") lines, stdout $(wc -c <"$TMP/u.out") bytes"; fi
}
for p in hello matmul ffi memhog; do usage "$p" --bogus 1; done
usage matmul --size
usage matmul --size -1
usage matmul --size 0
usage ffi --iters=0
usage hello --seed x
usage hello --hiccup=1
usage matmul --variant faer
usage ffi --variant cgo
for p in fanout footprint; do usage "$p" --bogus 1; done
usage fanout --workers 0
usage fanout --workers -1
usage fanout --capacity 0
usage fanout --capacity x
usage footprint --iters 2
usage footprint --size 1000000000000
usage footprint --size 10000000
usage hello "--variant=a
b"

# The CPU kernels: every size in the shared table gives its checksum with 1 and 3 threads.
KTABLE=$(dirname "$0")/../workloads/testdata/kernels.txt
grep -v '^#' "$KTABLE" | while read -r w s c; do
  for t in 1 3; do
    run "$w-$s-$t" "$w" --size "$s" --threads "$t" --iters 2
    got=$(field "$w-$s-$t" checksum)
    if [ "$got" = "$c" ]; then ok "$w --size $s --threads $t: checksum $c"
    else bad "$w --size $s --threads $t: checksum $got, want $c"; fi
  done
done >"$TMP/kernels.log"
cat "$TMP/kernels.log"
fails=$((fails + $(grep -c '^FAIL' "$TMP/kernels.log" || true)))
for p in nbody spectralnorm fannkuch mandelbrot binarytrees; do
  usage "$p" --size 0
  usage "$p" --variant simd
  usage "$p" --threads=0
done
usage fannkuch --size 13

if [ "$fails" -ne 0 ]; then echo "test.sh: $fails failure(s)"; exit 1; fi
echo "test.sh: all passed"
