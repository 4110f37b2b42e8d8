package claims

import (
	"math/rand/v2"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/gorustbench/gorustbench/bench/peer"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/suite"
	"github.com/gorustbench/gorustbench/bench/summary"
	"github.com/gorustbench/gorustbench/bench/units"
	"golang.org/x/perf/benchfmt"
)

// fakeRun builds a run in memory: each case gets n samples spread ±2% around its value.
type fakeRun struct{ run *results.Run }

func newFakeRun() *fakeRun {
	return &fakeRun{run: &results.Run{Manifest: results.Manifest{RunID: "test", Host: results.Manifest{}.Host}}}
}

func (f *fakeRun) add(name, workload, state string, params peer.Params, unit string, center float64, n int) *fakeRun {
	f.run.Manifest.Cases = append(f.run.Manifest.Cases, &results.CaseState{Name: name, Workload: workload, State: state, Params: params, Reason: map[bool]string{true: "", false: "crashed"}[state == results.CaseOK]})
	r := rand.New(rand.NewPCG(1, uint64(len(name))))
	for range n {
		v := center * (0.98 + 0.04*r.Float64())
		f.run.Results = append(f.run.Results, &benchfmt.Result{Name: benchfmt.Name(name), Iters: 1, Values: []benchfmt.Value{{Value: v, Unit: unit}}})
	}
	return f
}

func (f *fakeRun) verdict(t *testing.T, id string) Verdict {
	t.Helper()
	tab, err := summary.Of(f.run)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range Evaluate(tab) {
		if v.Claim == id {
			return v
		}
	}
	t.Fatalf("no verdict for %s", id)
	return Verdict{}
}

var helloParams = peer.Params{Iters: 1, Threads: 1, Seed: 1}

// startup-service is decided on Go's start-up over Rust's; a small program's absolute start-up
// is a lower bound for a "medium service" and can only contradict from above the range.
func TestStartupService(t *testing.T) {
	for _, tc := range []struct {
		goMs, rustMs float64
		n            int
		want         string
	}{
		{1.5, 0.5, 20, Holds},        // 3x: a 1.5 ms hello no longer "contradicts" tens of ms
		{1.5, 1.2, 20, Contradicted}, // Go barely slower: not "tens of ms vs ms"
		{25, 2, 3, Inconclusive},     // too few samples for an interval
		{2.2, 1.0, 20, Holds},
		{1.9, 1.0, 20, Contradicted}, // 1.9x: slower, but not "several times"
	} {
		f := newFakeRun().
			add("Hello/impl=go-std", "hello", results.CaseOK, helloParams, units.Exec, tc.goMs*1e6, tc.n).
			add("Hello/impl=rust-std", "hello", results.CaseOK, helloParams, units.Exec, tc.rustMs*1e6, tc.n)
		v := f.verdict(t, "startup-service")
		if v.Verdict != tc.want {
			t.Errorf("go %v ms rust %v ms n=%d: %s (%s), want %s", tc.goMs, tc.rustMs, tc.n, v.Verdict, v.Basis, tc.want)
		}
		if tc.n > 3 && (!strings.Contains(v.Basis, "n=20") || !strings.Contains(v.Basis, "% CI")) {
			t.Errorf("basis does not cite its numbers: %s", v.Basis)
		}
	}
	// A lower bound above the claimed range does contradict: Rust's small program alone takes 15 ms.
	f := newFakeRun().
		add("Hello/impl=go-std", "hello", results.CaseOK, helloParams, units.Exec, 60e6, 20).
		add("Hello/impl=rust-std", "hello", results.CaseOK, helloParams, units.Exec, 15e6, 20)
	if v := f.verdict(t, "startup-service"); v.Verdict != Contradicted || v.Parts[2].Verdict != Contradicted || v.Parts[2].Informative {
		t.Errorf("Rust hello at 15 ms: %+v", v)
	}
}

func TestFailedCaseIsNotEvidence(t *testing.T) {
	f := newFakeRun().
		add("Hello/impl=go-std", "hello", results.CaseFailed, helloParams, units.Exec, 25e6, 20).
		add("Hello/impl=rust-std", "hello", results.CaseOK, helloParams, units.Exec, 2e6, 20)
	v := f.verdict(t, "startup-service")
	if v.Verdict != NotMeasured || !strings.Contains(v.Basis, "Hello/impl=go-std failed: crashed") {
		t.Errorf("got %s: %s", v.Verdict, v.Basis)
	}
}

func TestCPUvsC(t *testing.T) {
	p := peer.Params{Size: 512, Iters: 1, Threads: 1, Seed: 42}
	for _, tc := range []struct {
		goMs, rustMs float64
		want         string
	}{
		{160, 105, Holds},        // Go at 62%, Rust at 95%
		{110, 100, Contradicted}, // Go at 91% of C: faster than claimed
		{160, 140, Contradicted}, // Rust at 71%
	} {
		f := newFakeRun().
			add("Matmul/impl=c-naive/size=512/threads=1", "matmul", results.CaseOK, p, units.PerOp, 100e6, 10).
			add("Matmul/impl=go-naive/size=512/threads=1", "matmul", results.CaseOK, p, units.PerOp, tc.goMs*1e6, 10).
			add("Matmul/impl=rust-naive/size=512/threads=1", "matmul", results.CaseOK, p, units.PerOp, tc.rustMs*1e6, 10)
		if v := f.verdict(t, "cpu-vs-c"); v.Verdict != tc.want {
			t.Errorf("go %v rust %v: %s (%s), want %s", tc.goMs, tc.rustMs, v.Verdict, v.Basis, tc.want)
		}
	}
}

// numeric orders gonum against faer by GFLOPS: faster faer holds, faster gonum contradicts,
// equal speeds decide nothing.
func TestNumericOrdering(t *testing.T) {
	p := peer.Params{Size: 1024, Iters: 1, Threads: 1, Seed: 42}
	for _, tc := range []struct {
		name            string
		gonumMs, faerMs float64
		want            string
	}{
		{"faer 3x faster", 300, 100, Holds},
		{"gonum 3x faster", 100, 300, Contradicted},
		{"equal speeds", 100, 100, Inconclusive},
	} {
		f := newFakeRun().
			add("Matmul/impl=go-gonum/size=1024/threads=1", "matmul", results.CaseOK, p, units.PerOp, tc.gonumMs*1e6, 10).
			add("Matmul/impl=rust-faer/size=1024/threads=1", "matmul", results.CaseOK, p, units.PerOp, tc.faerMs*1e6, 10)
		if v := f.verdict(t, "numeric"); v.Verdict != tc.want || !strings.Contains(v.Basis, "GFLOPS") {
			t.Errorf("%s: %s (%s), want %s", tc.name, v.Verdict, v.Basis, tc.want)
		}
	}
}

func TestBuildClaims(t *testing.T) {
	f := newFakeRun()
	f.run.Manifest.Build = &results.Build{
		Languages: []results.BuildLang{{Lang: "go", CleanNs: 4e9, RebuildNs: 1e9}, {Lang: "rust", CleanNs: 60e9, RebuildNs: 1.5e9}},
		Binaries: []results.BinaryRecord{
			{Lang: "go", Workload: "hello", Bytes: 2_600_000, StrippedBytes: 1_700_000, Static: true},
			{Lang: "rust", Workload: "hello", Bytes: 450_000, StrippedBytes: 350_000},
		},
	}
	if v := f.verdict(t, "compile-speed"); v.Verdict != Inconclusive || len(v.Parts) != 2 || v.Parts[0].Verdict != Inconclusive || !strings.Contains(v.Parts[0].Basis, "would hold") || v.Parts[1].Verdict != Inconclusive {
		t.Errorf("clean 15x, rebuild 1.5x: %+v", v)
	}
	// binary-size: TestBinarySize.
	f.run.Manifest.Build = nil
	if v := f.verdict(t, "compile-speed"); v.Verdict != NotMeasured || !strings.Contains(v.Basis, "make peers") {
		t.Errorf("no build record: %+v", v)
	}
}

// binarySizeRun is a build as measured: pure-Go peers static, ffi dynamic by cgo, echo by
// net's cgo resolver; hello as wasm in both languages.
func binarySizeRun() *fakeRun {
	f := newFakeRun()
	f.run.Manifest.Build = &results.Build{Binaries: []results.BinaryRecord{
		{Lang: "go", Workload: "hello", Bytes: 2_690_000, StrippedBytes: 1_790_000, Static: true},
		{Lang: "go", Workload: "matmul", Bytes: 2_880_000, StrippedBytes: 1_930_000, Static: true},
		{Lang: "go", Workload: "ffi", Bytes: 2_680_000, StrippedBytes: 1_810_000, Needed: []string{"libc.so.6"}, CgoEnabled: "1",
			CgoPackages: []string{"example.com/m/workloads/ffi"}, Linkage: `dynamic (libc.so.6): cgo calls C by design (example.com/m/workloads/ffi imports "C")`},
		{Lang: "go", Workload: "echo", Bytes: 9_570_000, StrippedBytes: 6_660_000, Needed: []string{"libc.so.6"}, CgoEnabled: "1",
			CgoPackages: []string{"net"}, Linkage: "dynamic (libc.so.6): package net with cgo available; CGO_ENABLED=0 or -tags netgo makes it static"},
		{Lang: "rust", Workload: "hello", Bytes: 450_000, StrippedBytes: 350_000},
		{Lang: "go", Workload: "hello", Target: "wasm32-wasip1", Bytes: 2_956_847, StrippedBytes: 2_900_578, Toolchain: "go1.26.8"},
		{Lang: "rust", Workload: "hello", Target: "wasm32-wasip1", Bytes: 144_139, StrippedBytes: 114_364, Toolchain: "rustc 1.63.0 (/usr/bin/rustc)"},
	}}
	return f
}

func TestBinarySize(t *testing.T) {
	f := binarySizeRun()
	v := f.verdict(t, "binary-size")
	parts := map[string]Part{}
	for _, p := range v.Parts {
		parts[p.Name] = p
	}
	if v.Verdict != Holds || parts["Go static"].Verdict != Holds || parts["wasm sizes"].Verdict != Holds {
		t.Errorf("pure-Go peers static, 112 KB Rust wasm, 2.9 MB Go wasm: %+v", v)
	}
	if p := parts["Go static with cgo"]; !p.Informative || p.Verdict != Contradicted ||
		!strings.Contains(p.Basis, "ffi: dynamic (libc.so.6): cgo calls C by design") || !strings.Contains(p.Basis, "echo: dynamic (libc.so.6): package net") {
		t.Errorf("the cgo peers are named with their reason, informatively: %+v", p)
	}
	if p := parts["native sizes"]; !p.Informative || p.Verdict != Contradicted || !strings.Contains(p.Basis, "Rust 342 KiB") {
		t.Errorf("native 350 KB Rust is outside ~100 KB, informatively: %+v", p)
	}
	if !strings.Contains(parts["wasm sizes"].Basis, "rustc 1.63.0") {
		t.Errorf("the basis names the toolchain: %s", parts["wasm sizes"].Basis)
	}

	bins := f.run.Manifest.Build.Binaries
	bins[6].StrippedBytes = 400_000
	if v := f.verdict(t, "binary-size"); v.Verdict != Contradicted {
		t.Errorf("400 KB Rust wasm: %+v", v)
	}
	bins[6] = results.BinaryRecord{Lang: "rust", Workload: "hello", Target: "wasm32-wasip1", NotBuilt: "no rustc with a wasm32-wasip1 or wasm32-wasi standard library: apt-get install rustc libstd-rust-dev-wasm32"}
	if v := f.verdict(t, "binary-size"); v.Verdict != Holds && v.Verdict != Inconclusive || !strings.Contains(v.Basis, "apt-get install") {
		t.Errorf("Rust wasm not built: the size part is not measured and says how to install: %+v", v)
	}
	for _, p := range f.verdict(t, "binary-size").Parts {
		if p.Name == "wasm sizes" && p.Verdict != NotMeasured {
			t.Errorf("Rust wasm not built: %+v", p)
		}
	}
}

func TestBinarySizeStaticRule(t *testing.T) {
	f := binarySizeRun()
	bins := f.run.Manifest.Build.Binaries
	bins[1].Static, bins[1].Linkage = false, "dynamic (libc.so.6): CGO_ENABLED=1 but no package of its build uses cgo"
	v := f.verdict(t, "binary-size")
	if v.Verdict != Contradicted || !strings.Contains(v.Basis, "matmul: dynamic") {
		t.Errorf("a dynamic pure-Go peer contradicts: %+v", v)
	}
	bins[1].Linkage = ""
	if v := f.verdict(t, "binary-size"); v.Verdict != Inconclusive || !strings.Contains(v.Basis, "predates linkage details") {
		t.Errorf("an old record without linkage: %+v", v)
	}
	f.run.Manifest.Build.Binaries = bins[2:4]
	for _, p := range f.verdict(t, "binary-size").Parts {
		if p.Name == "Go static" && p.Verdict != NotMeasured {
			t.Errorf("only cgo peers: %+v", p)
		}
	}
	f.run.Manifest.Build = nil
	if v := f.verdict(t, "binary-size"); v.Verdict != NotMeasured {
		t.Errorf("no build record: %+v", v)
	}
}

func TestFFI(t *testing.T) {
	p := peer.Params{Iters: 1000, Threads: 1, Seed: 1}
	f := newFakeRun().
		add("FFI/impl=go-cgo/size=0/threads=1", "ffi", results.CaseOK, p, units.PerOp, 30, 10).
		add("FFI/impl=go-plain/size=0/threads=1", "ffi", results.CaseOK, p, units.PerOp, 1.5, 10).
		add("FFI/impl=rust-ffi/size=0/threads=1", "ffi", results.CaseOK, p, units.PerOp, 1.6, 10).
		add("FFI/impl=rust-plain/size=0/threads=1", "ffi", results.CaseOK, p, units.PerOp, 1.6, 10)
	if v := f.verdict(t, "ffi-cost"); v.Verdict != Holds {
		t.Errorf("got %+v", v)
	}
}

func TestRegistryMatchesClaimsMD(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range Registry {
		if seen[c.ID] {
			t.Errorf("duplicate id %s", c.ID)
		}
		seen[c.ID] = true
		if c.Original == "" || c.Statement == "" || c.MeasuredBy == "" || c.Rule == "" || c.Lines == "" {
			t.Errorf("%s has an empty field", c.ID)
		}
		if c.evaluate == nil && c.pending == "" {
			t.Errorf("%s is neither measured nor says why not", c.ID)
		}
	}
	// The claims as the project received them, kept as a fixture so that this test checks
	// something on every checkout; shared/CLAIMS.md, where it is beside the checkout, must not
	// have moved on from it.
	md, err := os.ReadFile("testdata/CLAIMS.md")
	if err != nil {
		t.Fatal(err)
	}
	if shared, err := os.ReadFile("../../../shared/CLAIMS.md"); err == nil && string(shared) != string(md) {
		t.Errorf("shared/CLAIMS.md differs from bench/claims/testdata/CLAIMS.md: copy it over and check the registry against it")
	}
	rows := regexp.MustCompile(`(?m)^\| ([a-z-]+) \| ([0-9, -]+) \|`).FindAllStringSubmatch(string(md), -1)
	listed := 0
	for _, c := range Registry {
		if !c.Added {
			listed++
		} else if Lookup(c.ID) != c {
			t.Errorf("added claim %s is not unique", c.ID)
		}
	}
	if len(rows) != listed {
		t.Errorf("CLAIMS.md has %d rows, the registry %d that are not marked Added", len(rows), listed)
	}
	for _, r := range rows {
		c := Lookup(r[1])
		if c == nil {
			t.Errorf("CLAIMS.md row %s is not in the registry", r[1])
		} else if c.Lines != strings.TrimSpace(r[2]) {
			t.Errorf("%s: lines %q, CLAIMS.md says %q", c.ID, c.Lines, r[2])
		}
	}
}

func TestEveryClaimGetsAVerdict(t *testing.T) {
	tab, _ := summary.Of(newFakeRun().run)
	vs := Evaluate(tab)
	if len(vs) != len(Registry) {
		t.Fatalf("%d verdicts for %d claims", len(vs), len(Registry))
	}
	for _, v := range vs {
		if v.Verdict != NotMeasured || v.Basis == "" {
			t.Errorf("empty run: %s is %s (%q)", v.Claim, v.Verdict, v.Basis)
		}
	}
}

func (f *fakeRun) echo(impl string) *fakeRun {
	f.run.Manifest.Cases = append(f.run.Manifest.Cases, &results.CaseState{Name: "Echo/impl=" + impl, Workload: "echo", Impl: impl, State: results.CaseOK})
	return f
}

func (f *fakeRun) samples(name, unit string, center float64, n int) *fakeRun {
	r := rand.New(rand.NewPCG(2, uint64(len(name)+len(unit))))
	for range n {
		f.run.Results = append(f.run.Results, &benchfmt.Result{Name: benchfmt.Name(name), Iters: 1, Values: []benchfmt.Value{{Value: center * (0.98 + 0.04*r.Float64()), Unit: unit}}})
	}
	return f
}

// fixed adds one sample per value, in order.
func (f *fakeRun) fixed(name, unit string, vals ...float64) *fakeRun {
	for _, v := range vals {
		f.run.Results = append(f.run.Results, &benchfmt.Result{Name: benchfmt.Name(name), Iters: 1, Values: []benchfmt.Value{{Value: v, Unit: unit}}})
	}
	return f
}

func TestServiceMemoryAndStartup(t *testing.T) {
	f := newFakeRun().echo("go-std").echo("rust-axum").
		samples("EchoStartup/impl=go-std", units.IdleRSS, 8e6, 20).
		samples("EchoStartup/impl=rust-axum", units.IdleRSS, 3.5e6, 20).
		samples("EchoStartup/impl=go-std", units.First200, 12e6, 20).
		samples("EchoStartup/impl=rust-axum", units.First200, 4e6, 20)
	if v := f.verdict(t, "memory-service"); v.Verdict != Contradicted || v.Parts[0].Verdict != Contradicted || v.Parts[1].Verdict != Holds {
		t.Errorf("Go 8 MB, Rust 3.5 MB idle, no load run: %+v", v)
	}
	// The echo's 8 MB is a lower bound of a Go function's: it says nothing of "20 MB+".
	if v := f.verdict(t, "memory-serverless"); v.Verdict != Inconclusive || v.Parts[0].Verdict != Inconclusive || v.Parts[1].Verdict != Holds {
		t.Errorf("memory-serverless, Go 8 MB idle, a lower bound: %+v", v)
	}
	f.samples("EchoLoad/impl=go-std/rate=high", units.PeakRSS, 14e6, 6).
		samples("EchoLoad/impl=rust-axum/rate=high", units.PeakRSS, 4.5e6, 6)
	if v := f.verdict(t, "memory-service"); v.Verdict != Inconclusive || len(v.Parts) != 4 || !strings.Contains(v.Basis, "idle says contradicted, under load holds") {
		t.Errorf("idle contradicts, under load holds: %+v", v)
	}
	if v := f.verdict(t, "memory-serverless"); v.Verdict != Inconclusive || len(v.Parts) != 4 {
		t.Errorf("memory-serverless judges idle and loaded too: %+v", v)
	}
	if v := f.verdict(t, "startup-service"); v.Verdict != Holds {
		t.Errorf("Go 12 ms, Rust 4 ms to first 200 (3x): %+v", v)
	}
	// Without the machine's floor, a sub-millisecond threshold is not judged at all.
	if v := f.verdict(t, "startup-serverless"); v.Parts[1].Verdict != NotMeasured || !strings.Contains(v.Basis, "warm starts only") {
		t.Errorf("no floor measured: %+v", v)
	}
	// With a C hello at 0.8 ms, 1 ms lies below twice the floor: inconclusive, never "contradicted".
	f.add("Hello/impl=c-std", "hello", results.CaseOK, helloParams, units.Exec, 0.8e6, 20)
	v := f.verdict(t, "startup-serverless")
	if v.Parts[1].Verdict != Inconclusive || !strings.Contains(v.Parts[1].Basis, "floor") {
		t.Errorf("Rust 4 ms against sub-ms below the floor: %+v", v.Parts[1])
	}
	if v.Parts[2].Verdict != NotMeasured {
		t.Errorf("warm starts only: the cold ordering is not judged on warm starts: %+v", v.Parts[2])
	}
	// On a machine whose floor is 0.2 ms, 1 ms can be judged, and a 4 ms warm start contradicts it.
	g := newFakeRun().echo("go-std").echo("rust-axum").
		samples("EchoStartup/impl=go-std/cache=cold", units.First200, 30e6, 6).
		samples("EchoStartup/impl=rust-axum/cache=cold", units.First200, 5e6, 6).
		samples("EchoStartup/impl=rust-axum", units.First200, 4e6, 6).
		add("Hello/impl=c-std", "hello", results.CaseOK, helloParams, units.Exec, 0.2e6, 20)
	v = g.verdict(t, "startup-serverless")
	if v.Verdict != Contradicted || v.Parts[0].Verdict != Inconclusive || !v.Parts[0].Informative || v.Parts[1].Verdict != Contradicted || v.Parts[2].Verdict != Holds || !strings.Contains(v.Basis, "cold") {
		t.Errorf("cold: Go 30 ms, Rust 4 ms, floor 0.2 ms: %+v", v)
	}
}

func TestIOModelRespectsTheLoadGenerator(t *testing.T) {
	f := newFakeRun().echo("go-std").echo("rust-axum").
		samples("EchoLoad/impl=rust-axum/rate=max", units.Throughput, 30000, 8).
		samples("EchoLoad/impl=go-std/rate=max", units.Throughput, 20000, 8)
	v := f.verdict(t, "io-model")
	if v.Parts[0].Verdict != Holds {
		t.Errorf("axum 30k vs net/http 20k: %+v", v.Parts[0])
	}
	f.samples("EchoLoad/impl=rust-axum/rate=max", units.Limited, 1, 1)
	v = f.verdict(t, "io-model")
	if v.Parts[0].Verdict != Inconclusive || !strings.Contains(v.Parts[0].Basis, "load generator may have set the pace") {
		t.Errorf("a limited window must not decide the ordering: %+v", v.Parts[0])
	}
}

// A tie at low traffic is "Go costs no more"; Go at 3x Rust's memory is not.
func TestEconomicsTie(t *testing.T) {
	f := newFakeRun().echo("go-std").echo("rust-axum").
		fixed("EchoLoad/impl=go-std/rate=low", units.CPUPerReq, 50e3, 51e3, 49e3, 52e3, 48e3, 50e3).
		fixed("EchoLoad/impl=rust-axum/rate=low", units.CPUPerReq, 51e3, 49e3, 50e3, 48e3, 52e3, 50e3).
		samples("EchoLoad/impl=go-std/rate=high", units.CPUPerReq, 40e3, 6).
		samples("EchoLoad/impl=rust-axum/rate=high", units.CPUPerReq, 20e3, 6)
	v := f.verdict(t, "api-load-economics")
	if v.Parts[0].Verdict != Holds || v.Parts[2].Verdict != Holds || v.Verdict == Holds {
		t.Errorf("a tie at low traffic, memory not measured: %+v", v)
	}
	f.samples("EchoLoad/impl=go-std/rate=low", units.PeakRSS, 13e6, 6).
		samples("EchoLoad/impl=rust-axum/rate=low", units.PeakRSS, 4e6, 6)
	if v := f.verdict(t, "api-load-economics"); v.Parts[1].Verdict != Contradicted || v.Verdict != Contradicted {
		t.Errorf("Go uses 3x the memory at low traffic: %+v", v)
	}
}

// Latency thresholds are judged only above the instrument's floor.
func TestRealtimeLatencyFloor(t *testing.T) {
	base := func(floorNs float64) *fakeRun {
		return newFakeRun().echo("go-std").echo("rust-axum").
			samples("EchoLoad/impl=go-std/rate=medium", units.LatP999, 600e3, 6).
			samples("EchoLoad/impl=rust-axum/rate=medium", units.LatP999, 80e3, 6).
			samples("EchoLoad/impl=go-std/rate=medium", units.LagP999, floorNs, 6).
			samples("EchoLoad/impl=rust-axum/rate=medium", units.LagP999, floorNs, 6)
	}
	if v := base(10e3).verdict(t, "realtime-latency"); v.Verdict != Holds {
		t.Errorf("floor 10 µs, Go 600 µs, Rust 80 µs: %+v", v)
	}
	v := base(150e3).verdict(t, "realtime-latency")
	if v.Parts[1].Verdict != Inconclusive || !strings.Contains(v.Parts[1].Basis, "floor") || v.Parts[0].Verdict != Holds {
		t.Errorf("floor 150 µs: 100 µs cannot be judged, 1 ms can: %+v", v)
	}
	if v := newFakeRun().echo("go-std").echo("rust-axum").
		samples("EchoLoad/impl=go-std/rate=medium", units.LatP999, 600e3, 6).
		verdict(t, "realtime-latency"); v.Parts[0].Verdict != Inconclusive || !strings.Contains(v.Parts[0].Basis, "floor was not measured") {
		t.Errorf("no floor: %+v", v.Parts[0])
	}
}

func TestGCPauses(t *testing.T) {
	f := newFakeRun().echo("go-std").samples("EchoLoad/impl=go-std/rate=high", units.GCPauseMax, 300e3, 5)
	if v := f.verdict(t, "gc-pauses"); v.Verdict != Holds {
		t.Errorf("300 µs pauses: %+v", v)
	}
	// 1.05 ms is the upper bound of the runtime's (918 µs, 1.05 ms] bucket: the pause may have been under 1 ms.
	f.fixed("EchoLoad/impl=go-std/rate=max", units.GCPauseMax, 1048576)
	if v := f.verdict(t, "gc-pauses"); v.Verdict != Inconclusive || !strings.Contains(v.Basis, "in 6 runs") {
		t.Errorf("one pause in the 1.05 ms bucket: %+v", v)
	}
	f.samples("EchoLoad/impl=go-std/rate=max", units.GCPauseMax, 4e6, 1)
	if v := f.verdict(t, "gc-pauses"); v.Verdict != Contradicted {
		t.Errorf("one pause in the 4 ms bucket: %+v", v)
	}
	// A machine that stalls a Rust process for 10 ms cannot tell a 4 ms pause from its own stall.
	f.echo("rust-axum").samples("EchoLoad/impl=rust-axum/rate=stalls", units.HiccupMax, 10e6, 6)
	if v := f.verdict(t, "gc-pauses"); v.Verdict != Inconclusive || !strings.Contains(v.Basis, "may be the host's") {
		t.Errorf("a 4 ms pause on a machine that stalls 10 ms: %+v", v)
	}
	// Runs with no GC cycle say nothing about pauses.
	g := newFakeRun()
	g.run.Manifest.Cases = append(g.run.Manifest.Cases, &results.CaseState{Name: "Hello/impl=go-std", State: results.CaseOK})
	for range 6 {
		g.run.Results = append(g.run.Results, &benchfmt.Result{Name: benchfmt.Name("Hello/impl=go-std"), Iters: 1, Values: []benchfmt.Value{{Value: 0, Unit: units.GCPauses}, {Value: 0, Unit: units.GCPauseMax}}})
	}
	if v := g.verdict(t, "gc-pauses"); v.Verdict != Inconclusive || !strings.Contains(v.Basis, "no GC cycle") {
		t.Errorf("zero GC cycles: %+v", v)
	}
}

func TestPredictability(t *testing.T) {
	f := newFakeRun().echo("go-std").echo("rust-axum").echo("go-fasthttp").echo("rust-hyper").
		samples("EchoLoad/impl=go-std/rate=stalls", units.HiccupP99, 900e3, 6).
		samples("EchoLoad/impl=rust-axum/rate=stalls", units.HiccupP99, 100e3, 6).
		samples("EchoLoad/impl=go-fasthttp/rate=stalls", units.HiccupP99, 800e3, 6).
		samples("EchoLoad/impl=rust-hyper/rate=stalls", units.HiccupP99, 90e3, 6).
		samples("EchoLoad/impl=go-std/rate=medium", units.LatP999, 5e6, 6).
		samples("EchoLoad/impl=go-std/rate=medium", units.LatP50, 100e3, 6).
		samples("EchoLoad/impl=rust-axum/rate=medium", units.LatP999, 1e6, 6).
		samples("EchoLoad/impl=rust-axum/rate=medium", units.LatP50, 100e3, 6)
	if v := f.verdict(t, "predictability"); v.Verdict != Holds {
		t.Errorf("Rust stalls 9x less and its tail is 5x narrower: %+v", v)
	}
}

func TestFFIVerdicts(t *testing.T) {
	run := func(rustFFI, rustPlain []float64) Verdict {
		f := newFakeRun().
			add("FFI/impl=go-cgo/size=0/threads=1", "ffi", results.CaseOK, peer.Params{}, units.PerOp, 30, 6).
			add("FFI/impl=go-plain/size=0/threads=1", "ffi", results.CaseOK, peer.Params{}, units.PerOp, 1.5, 6)
		f.run.Manifest.Cases = append(f.run.Manifest.Cases,
			&results.CaseState{Name: "FFI/impl=rust-ffi/size=0/threads=1", State: results.CaseOK},
			&results.CaseState{Name: "FFI/impl=rust-plain/size=0/threads=1", State: results.CaseOK})
		f.fixed("FFI/impl=rust-ffi/size=0/threads=1", units.PerOp, rustFFI...).
			fixed("FFI/impl=rust-plain/size=0/threads=1", units.PerOp, rustPlain...)
		return f.verdict(t, "ffi-cost")
	}
	// Noisy but level: the ratio's interval leaves [0.9, 1.1], and nothing is significant.
	v := run([]float64{1.0, 2.0, 1.2, 1.9, 1.1, 1.5}, []float64{1.9, 1.0, 2.0, 1.1, 1.6, 1.2})
	if v.Parts[0].Verdict != Holds || v.Parts[1].Verdict != Inconclusive {
		t.Errorf("noisy, level Rust FFI: %+v", v.Parts)
	}
	// Significantly slower: contradicted.
	v = run([]float64{2.0, 2.1, 2.05, 1.95, 2.02, 2.03}, []float64{1.5, 1.52, 1.48, 1.51, 1.49, 1.5})
	if v.Parts[1].Verdict != Contradicted || v.Verdict != Contradicted {
		t.Errorf("Rust FFI 1.35x a plain call: %+v", v.Parts[1])
	}
	// Significantly faster than the plain call is no contradiction of "free".
	v = run([]float64{1.3, 1.31, 1.29, 1.3, 1.32, 1.28}, []float64{1.5, 1.52, 1.48, 1.51, 1.49, 1.5})
	if v.Parts[1].Verdict == Contradicted {
		t.Errorf("Rust FFI faster than plain: %+v", v.Parts[1])
	}
}

func TestCgoLarge(t *testing.T) {
	for _, tc := range []struct {
		cgo  float64
		want string
	}{{30, Holds}, {5.5, Holds}, {4.5, Inconclusive}, {2.2, Inconclusive}, {1.5, Contradicted}} {
		f := newFakeRun().
			add("FFI/impl=go-cgo/size=0/threads=1", "ffi", results.CaseOK, peer.Params{}, units.PerOp, tc.cgo, 6).
			add("FFI/impl=go-plain/size=0/threads=1", "ffi", results.CaseOK, peer.Params{}, units.PerOp, 1, 6)
		if v := f.verdict(t, "cgo-overhead-large"); v.Verdict != tc.want {
			t.Errorf("cgo %vx a plain call: %s (%s), want %s", tc.cgo, v.Verdict, v.Basis, tc.want)
		}
	}
}

func TestGoResources(t *testing.T) {
	f := newFakeRun().
		add("Hello/impl=go-std", "hello", results.CaseOK, helloParams, units.PeakRSS, 2.2e6, 10).
		add("Hello/impl=rust-std", "hello", results.CaseOK, helloParams, units.PeakRSS, 1.9e6, 10).
		add("Hello/impl=c-std", "hello", results.CaseOK, helloParams, units.PeakRSS, 1.4e6, 10)
	if v := f.verdict(t, "go-resources"); v.Verdict != Holds || len(v.Parts) != 2 || !strings.Contains(v.Basis, "2 of 2 programs hold") {
		t.Errorf("Go's hello uses the most memory: %+v", v)
	}
}

func TestGoroutineFootprint(t *testing.T) {
	f := newFakeRun()
	ok := func(name string) {
		f.run.Manifest.Cases = append(f.run.Manifest.Cases, &results.CaseState{Name: name, State: results.CaseOK})
	}
	ok("Footprint/impl=go-goroutine/size=100000/threads=2")
	f.samples("Footprint/impl=go-goroutine/size=100000/threads=2", units.RSSPerTask, 2750, 6)
	if v := f.verdict(t, "goroutine-footprint"); v.Verdict != Inconclusive || v.Parts[0].Verdict != Holds || v.Parts[1].Verdict != NotMeasured {
		t.Errorf("2.75 KB per goroutine, no million run: %+v", v)
	}
	ok("Footprint/impl=go-goroutine/size=1000000/threads=2")
	f.samples("Footprint/impl=go-goroutine/size=1000000/threads=2", units.RSSPerTask, 2740, 1).
		samples("Footprint/impl=go-goroutine/size=1000000/threads=2", units.StackPerTask, 2048, 1)
	if v := f.verdict(t, "goroutine-footprint"); v.Verdict != Holds {
		t.Errorf("a million ran at 2.74 KB each: %+v", v)
	}
	g := newFakeRun()
	g.run.Manifest.Cases = append(g.run.Manifest.Cases,
		&results.CaseState{Name: "Footprint/impl=go-goroutine/size=100000/threads=2", State: results.CaseOK},
		&results.CaseState{Name: "Footprint/impl=go-goroutine/size=1000000/threads=2", State: results.CaseFailed, Reason: "hung"})
	g.samples("Footprint/impl=go-goroutine/size=100000/threads=2", units.RSSPerTask, 9000, 6)
	if v := g.verdict(t, "goroutine-footprint"); v.Verdict != Contradicted || v.Parts[0].Verdict != Contradicted || v.Parts[1].Verdict != Contradicted || !strings.Contains(v.Parts[1].Basis, "hung") {
		t.Errorf("9 KB per goroutine and the million failed: %+v", v)
	}
}

func TestChannelThroughputMajority(t *testing.T) {
	f := newFakeRun()
	shape := func(s string, goNs, crossNs, flumeNs float64) {
		for impl, ns := range map[string]float64{"go-chan": goNs, "rust-crossbeam": crossNs, "rust-flume": flumeNs} {
			name := "Fanout/impl=" + impl + "/" + s
			f.run.Manifest.Cases = append(f.run.Manifest.Cases, &results.CaseState{Name: name, State: results.CaseOK})
			f.samples(name, units.PerOp, ns, 6)
		}
	}
	shape("size=200000/workers=4/capacity=64/threads=2", 100, 300, 400)
	shape("size=200000/workers=4/capacity=64/threads=1", 100, 600, 500)
	shape("size=10000/workers=64/capacity=1/threads=2", 1000, 20000, 15000)
	if v := f.verdict(t, "channel-throughput"); v.Verdict != Contradicted || !strings.Contains(v.Basis, "0 of 2 shapes hold, 2 contradict") || !strings.Contains(v.Basis, "shown, not judged") {
		t.Errorf("Go faster at every shape: %+v", v)
	}
	g := newFakeRun()
	f = g
	shape("size=200000/workers=4/capacity=1024/threads=2", 100, 50, 60)
	shape("size=200000/workers=4/capacity=64/threads=2", 100, 300, 400)
	if v := g.verdict(t, "channel-throughput"); v.Verdict != Inconclusive {
		t.Errorf("one shape each way: %+v", v)
	}
}

// An interrupted run's samples are evidence with a caveat; a failed case's never are.
func TestInterruptedCasesArePartialEvidence(t *testing.T) {
	f := newFakeRun().
		add("Hello/impl=go-std", "hello", results.CaseInterrupted, helloParams, units.Exec, 3e6, 20).
		add("Hello/impl=rust-std", "hello", results.CaseOK, helloParams, units.Exec, 1e6, 20)
	v := f.verdict(t, "startup-service")
	if v.Verdict != Holds || !v.Partial || !strings.Contains(v.Basis, "partial") {
		t.Errorf("interrupted Go hello, 3x Rust's: %+v", v)
	}
	if w := f.verdict(t, "cpu-vs-c"); w.Partial {
		t.Errorf("a claim that read no interrupted case is not partial: %+v", w)
	}
}

// suite.Workload.Claims and the registry agree: every id a workload lists is a claim, and every
// claim judged on samples is fed by a workload that lists it.
func TestWorkloadClaims(t *testing.T) {
	for _, w := range suite.Workloads {
		for _, id := range w.Claims {
			if Lookup(id) == nil {
				t.Errorf("workload %s lists unknown claim %s", w.Name, id)
			}
		}
	}
	for _, c := range Registry {
		if c.ID == "compile-speed" || !c.Measurable() {
			continue // the build record only; not measured yet
		}
		if len(c.Workloads()) == 0 {
			t.Errorf("%s: no workload lists it in its Claims", c.ID)
		}
	}
	if w := Lookup("cgo-overhead-large").Workloads(); len(w) != 1 || w[0] != "ffi" {
		t.Errorf("cgo-overhead-large is fed by %v, want ffi", w)
	}
}

// go-openblas uses cgo by design: named with the cgo peers, it leaves "Go static" holding;
// where it could not be built (no libopenblas-dev) its record says so and is not a binary.
func TestBinarySizeWithGoOpenBLAS(t *testing.T) {
	for _, tc := range []struct {
		name string
		bin  results.BinaryRecord
	}{
		{"built", results.BinaryRecord{Lang: "go", Workload: "matmul-openblas", Bytes: 3_000_000, CgoEnabled: "1", Needed: []string{"libopenblas.so.0", "libc.so.6"},
			CgoPackages: []string{"gonum.org/v1/netlib/blas/netlib"}, Linkage: "dynamic (libopenblas.so.0, libc.so.6): cgo calls C by design"}},
		{"not built", results.BinaryRecord{Lang: "go", Workload: "matmul-openblas", NotBuilt: "workloads/bin/matmul-openblas was not built: go-openblas needs libopenblas-dev"}},
	} {
		f := binarySizeRun()
		f.run.Manifest.Build.Binaries = append(f.run.Manifest.Build.Binaries, tc.bin)
		v := f.verdict(t, "binary-size")
		for _, p := range v.Parts {
			if p.Name == "Go static" && p.Verdict != Holds {
				t.Errorf("%s: Go static %s: %s", tc.name, p.Verdict, p.Basis)
			}
		}
	}
}
