package peerkit

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	p := Defaults("naive")
	err := p.parse(strings.Fields("--size 512 --iters=3 --threads 2 --seed 18446744073709551615 --variant faer --hiccup --addr 127.0.0.1:0"))
	if err != nil {
		t.Fatal(err)
	}
	want := Params{Size: 512, Iters: 3, Threads: 2, Seed: 1<<64 - 1, Variant: "faer", Hiccup: true, Addr: "127.0.0.1:0", Workers: -1, Capacity: -1}
	if p != want {
		t.Fatalf("got %+v, want %+v", p, want)
	}
}

func TestParseWorkersCapacity(t *testing.T) {
	p := Defaults("chan")
	if err := p.parse(strings.Fields("--workers 64 --capacity=0")); err != nil {
		t.Fatal(err)
	}
	if p.Workers != 64 || p.Capacity != 0 {
		t.Fatalf("got %+v", p)
	}
	line := string(ResultLine("fanout", &p, 1, 1, "x", 1, nil, nil))
	if !strings.Contains(line, `"seed":1,"workers":64,"capacity":0},`) {
		t.Errorf("params not echoed: %s", line)
	}
	if q := Defaults("std"); strings.Contains(string(ResultLine("hello", &q, 1, 1, "x", 1, nil, nil)), "workers") {
		t.Error("a workload that does not use --workers echoes it")
	}
}

func TestParseErrors(t *testing.T) {
	for args, want := range map[string]string{
		"--bogus 1":    "unknown flag --bogus",
		"--bogus":      "unknown flag --bogus",
		"--size":       "--size needs a value",
		"--size -1":    `--size: "-1" is not an integer >= 0`,
		"--iters 0":    `--iters: "0" is not an integer >= 1`,
		"--seed x":     `--seed: "x" is not an unsigned integer`,
		"--hiccup=1":   "--hiccup takes no value",
		"size 3":       `unexpected argument "size" (flags are --name value)`,
		"--threads=2x": `--threads: "2x" is not an integer >= 1`,
		"--workers -1": `--workers: "-1" is not an integer >= 0`,
	} {
		p := Defaults("std")
		err := p.parse(strings.Fields(args))
		if err == nil || err.Error() != want {
			t.Errorf("%q: got %v, want %q", args, err, want)
		}
	}
}

func TestFNV1a64(t *testing.T) {
	for in, want := range map[string]string{
		"":               "cbf29ce484222325",
		"a":              "af63dc4c8601ec8c",
		"hello, world\n": "e60e7ee648829675",
	} {
		if got := FNV1a64([]byte(in)); got != want {
			t.Errorf("FNV1a64(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestSplitMix64(t *testing.T) {
	s := NewSplitMix64(0)
	for _, want := range []uint64{0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f} {
		if got := s.Next(); got != want {
			t.Fatalf("got %#x, want %#x", got, want)
		}
	}
	s = NewSplitMix64(42)
	for range 1000 {
		if f := s.Float(); f < -1 || f >= 1 {
			t.Fatalf("Float() = %v, outside [-1, 1)", f)
		}
	}
}

func TestHistogramBuckets(t *testing.T) {
	// Every value lands in a bucket whose upper bound is >= it, and the previous
	// bucket's upper bound is below it: buckets tile the number line.
	for _, v := range []uint64{0, 1, 7, 8, 9, 15, 16, 17, 31, 1000, 999_999, 1_000_000, 1 << 40, 1<<63 + 12345} {
		i := histIndex(v)
		if histUpper(i) < v || (i > 0 && histUpper(i-1) >= v) {
			t.Errorf("v=%d: bucket %d has upper %d, previous %d", v, i, histUpper(i), histUpper(i-1))
		}
	}
	if got := histIndex(1<<64 - 1); got != histBuckets-1 {
		t.Errorf("largest value in bucket %d, want %d", got, histBuckets-1)
	}
}

func TestHistogramQuantiles(t *testing.T) {
	var h Histogram
	if h.Quantile(0.5) != 0 {
		t.Fatal("empty histogram must report 0")
	}
	for v := uint64(1); v <= 100; v++ {
		h.Record(v * 1000) // 1 µs .. 100 µs
	}
	// ceil(0.5*100) = 50th value = 50000 ns, in bucket [49152, 53247].
	if got := h.Quantile(0.5); got != 53247 {
		t.Errorf("p50 = %d, want 53247", got)
	}
	if got := h.Quantile(0.99); got != histUpper(histIndex(99000)) {
		t.Errorf("p99 = %d", got)
	}
	if h.max != 100000 || h.count != 100 {
		t.Errorf("max %d count %d", h.max, h.count)
	}
}

func TestResultLineIsValidJSON(t *testing.T) {
	p := Defaults("std")
	h := &Hiccup{IntervalNs: 1e6, Count: 3, P50Ns: 5, P99Ns: 6, P999Ns: 7, MaxNs: 8}
	g := &goFacts{gomaxprocs: 2, cycles: 1, pauses: 2}
	line := ResultLine("hello", &p, 1, 1500*time.Nanosecond, `e60e"7`, 1024, h, g)
	if line[len(line)-1] != '\n' {
		t.Fatal("no trailing newline")
	}
	var got map[string]any
	if err := json.Unmarshal(line, &got); err != nil {
		t.Fatalf("%v: %s", err, line)
	}
	want := `{"protocol":1,"workload":"hello","lang":"go","variant":"std","params":{"size":0,"iters":1,"threads":1,"seed":1},"ops":1,"elapsed_ns":1500,"checksum":"e60e\"7","vmhwm_kib":1024,"hiccup":{"interval_ns":1000000,"count":3,"p50_ns":5,"p99_ns":6,"p999_ns":7,"max_ns":8},"go":{"gomaxprocs":2,"gc_cycles":1,"gc_pauses":2,"gc_pause_total_ns":0,"gc_pause_p50_ns":0,"gc_pause_p99_ns":0,"gc_pause_max_ns":0}}` + "\n"
	if string(line) != want {
		t.Errorf("got  %s\nwant %s", line, want)
	}
}

func TestRegionCountsGC(t *testing.T) {
	p := Defaults("std")
	r := Begin(&p)
	var sink [][]byte
	for i := range 20000 {
		sink = append(sink, make([]byte, 4096))
		if i%1000 == 0 {
			sink = nil
		}
	}
	_ = sink
	r.End()
	if r.gc.cycles == 0 || r.gc.pauses == 0 {
		t.Skipf("no GC happened in the region (cycles %d); nothing to check", r.gc.cycles)
	}
	if r.gc.pauseMax == 0 || r.gc.pauseP50 > r.gc.pauseMax || r.gc.pauseTotal == 0 {
		t.Errorf("implausible GC facts %+v", r.gc)
	}
}

// stallProcess stops this whole process for 50 ms from outside (SIGSTOP, then SIGCONT from a
// shell), a stall no runtime reports about itself: the hiccup meter must see it.
func stallProcess(t *testing.T) {
	t.Helper()
	script := fmt.Sprintf("kill -STOP %d; sleep 0.05; kill -CONT %d", os.Getpid(), os.Getpid())
	if out, err := exec.Command("sh", "-c", script).CombinedOutput(); err != nil {
		t.Fatalf("stalling the process: %v: %s", err, out)
	}
}

// The meter sees a known stall, runs on a P of its own (GOMAXPROCS raised by one while it
// runs, restored after), and reports it in the go object.
func TestHiccupMeterSeesAStall(t *testing.T) {
	p := Defaults("naive")
	p.Hiccup = true
	procs := runtime.GOMAXPROCS(0)
	r := Begin(&p)
	if got := runtime.GOMAXPROCS(0); got != procs+1 {
		t.Errorf("GOMAXPROCS during the meter = %d, want %d", got, procs+1)
	}
	time.Sleep(10 * time.Millisecond)
	stallProcess(t)
	time.Sleep(10 * time.Millisecond)
	r.End()
	if got := runtime.GOMAXPROCS(0); got != procs {
		t.Errorf("GOMAXPROCS after the meter = %d, want %d", got, procs)
	}
	h := r.hiccup
	if h == nil || h.Count == 0 {
		t.Fatalf("no hiccup summary: %+v", h)
	}
	if h.MaxNs < uint64(40*time.Millisecond) {
		t.Errorf("a 50 ms stall shows as max %v", time.Duration(h.MaxNs))
	}
	if r.gc.gomaxprocs != procs || r.gc.meterProcs != 1 {
		t.Errorf("go facts gomaxprocs %d meter_procs %d, want %d and 1", r.gc.gomaxprocs, r.gc.meterProcs, procs)
	}
	line := ResultLine("matmul", &p, 1, r.Elapsed(), "x", 1, r.hiccup, &r.gc)
	var got struct {
		Go map[string]uint64 `json:"go"`
	}
	if err := json.Unmarshal(line, &got); err != nil || got.Go["meter_procs"] != 1 {
		t.Errorf("meter_procs missing from %s (%v)", line, err)
	}
}

// The start-up region reads GC facts since process start from debug.ReadGCStats.
func TestStartupRegionCountsGC(t *testing.T) {
	p := Defaults("std")
	r := BeginStartup(&p)
	runtime.GC()
	r.End()
	g := r.gc
	if g.cycles == 0 || g.pauses == 0 || g.pauseMax == 0 || g.pauseP50 > g.pauseMax || g.gomaxprocs != runtime.GOMAXPROCS(0) {
		t.Errorf("implausible start-up GC facts %+v", g)
	}
}
