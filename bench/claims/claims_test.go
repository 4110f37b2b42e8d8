package claims

import (
	"math/rand/v2"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/gorustbench/gorustbench/bench/peer"
	"github.com/gorustbench/gorustbench/bench/results"
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

func TestStartupService(t *testing.T) {
	for _, tc := range []struct {
		goMs, rustMs float64
		n            int
		want         string
	}{
		{1.5, 0.5, 20, Contradicted}, // Go far below tens of ms
		{25, 2, 20, Holds},
		{25, 2, 3, Inconclusive},  // too few samples for an interval
		{10, 2, 20, Inconclusive}, // Go's interval straddles 10 ms
	} {
		f := newFakeRun().
			add("Hello/impl=go-std", "hello", results.CaseOK, helloParams, units.Exec, tc.goMs*1e6, tc.n).
			add("Hello/impl=rust-std", "hello", results.CaseOK, helloParams, units.Exec, tc.rustMs*1e6, tc.n)
		v := f.verdict(t, "startup-service")
		if v.Verdict != tc.want {
			t.Errorf("go %v ms rust %v ms n=%d: %s (%s), want %s", tc.goMs, tc.rustMs, tc.n, v.Verdict, v.Basis, tc.want)
		}
		if !strings.Contains(v.Basis, "n=") || !strings.Contains(v.Basis, "median") {
			t.Errorf("basis does not cite its numbers: %s", v.Basis)
		}
	}
}

func TestFailedCaseIsNotEvidence(t *testing.T) {
	f := newFakeRun().
		add("Hello/impl=go-std", "hello", results.CaseFailed, helloParams, units.Exec, 25e6, 20).
		add("Hello/impl=rust-std", "hello", results.CaseOK, helloParams, units.Exec, 2e6, 20)
	v := f.verdict(t, "startup-service")
	if v.Verdict != Inconclusive || !strings.Contains(v.Basis, "Hello/impl=go-std failed: crashed") {
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

func TestNumericOrdering(t *testing.T) {
	p := peer.Params{Size: 1024, Iters: 1, Threads: 1, Seed: 42}
	f := newFakeRun().
		add("Matmul/impl=go-gonum/size=1024/threads=1", "matmul", results.CaseOK, p, units.PerOp, 300e6, 10).
		add("Matmul/impl=rust-faer/size=1024/threads=1", "matmul", results.CaseOK, p, units.PerOp, 100e6, 10)
	if v := f.verdict(t, "numeric"); v.Verdict != Holds || !strings.Contains(v.Basis, "GFLOPS") {
		t.Errorf("faer 3x faster: %s (%s)", v.Verdict, v.Basis)
	}
	g := newFakeRun().
		add("Matmul/impl=go-gonum/size=1024/threads=1", "matmul", results.CaseOK, p, units.PerOp, 100e6, 10).
		add("Matmul/impl=rust-faer/size=1024/threads=1", "matmul", results.CaseOK, p, units.PerOp, 100e6, 10)
	if v := g.verdict(t, "numeric"); v.Verdict != Inconclusive {
		t.Errorf("equal speeds: %s (%s)", v.Verdict, v.Basis)
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
	if v := f.verdict(t, "compile-speed"); v.Verdict != Inconclusive || len(v.Parts) != 2 || v.Parts[0].Verdict != Holds || v.Parts[1].Verdict != Inconclusive {
		t.Errorf("clean 15x, rebuild 1.5x: %+v", v)
	}
	v := f.verdict(t, "binary-size")
	if v.Verdict != Contradicted || v.Parts[0].Verdict != Holds || v.Parts[1].Verdict != Contradicted {
		t.Errorf("static Go, 350 KB Rust: %+v", v)
	}
	f.run.Manifest.Build.Binaries[1].StrippedBytes = 120_000
	if v := f.verdict(t, "binary-size"); v.Verdict != Holds {
		t.Errorf("static Go, 120 KB Rust: %+v", v)
	}
	f.run.Manifest.Build = nil
	if v := f.verdict(t, "compile-speed"); v.Verdict != NotMeasured || !strings.Contains(v.Basis, "make peers") {
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
	md, err := os.ReadFile("../../../shared/CLAIMS.md")
	if err != nil {
		t.Skip("shared/CLAIMS.md is not beside the checkout")
	}
	rows := regexp.MustCompile(`(?m)^\| ([a-z-]+) \| ([0-9, -]+) \|`).FindAllStringSubmatch(string(md), -1)
	if len(rows) != len(Registry) {
		t.Errorf("CLAIMS.md has %d rows, the registry %d", len(rows), len(Registry))
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

func TestServiceMemoryAndStartup(t *testing.T) {
	f := newFakeRun().echo("go-std").echo("rust-axum").
		samples("EchoStartup/impl=go-std", units.IdleRSS, 8e6, 20).
		samples("EchoStartup/impl=rust-axum", units.IdleRSS, 3.5e6, 20).
		samples("EchoStartup/impl=go-std", units.First200, 12e6, 20).
		samples("EchoStartup/impl=rust-axum", units.First200, 4e6, 20)
	if v := f.verdict(t, "memory-service"); v.Verdict != Contradicted || v.Parts[0].Verdict != Contradicted || v.Parts[1].Verdict != Holds {
		t.Errorf("Go 8 MB, Rust 3.5 MB idle, no load run: %+v", v)
	}
	f.samples("EchoLoad/impl=go-std/rate=high", units.PeakRSS, 14e6, 6).
		samples("EchoLoad/impl=rust-axum/rate=high", units.PeakRSS, 4.5e6, 6)
	if v := f.verdict(t, "memory-service"); v.Verdict != Inconclusive || len(v.Parts) != 4 || !strings.Contains(v.Basis, "idle says contradicted, under load holds") {
		t.Errorf("idle contradicts, under load holds: %+v", v)
	}
	if v := f.verdict(t, "startup-service"); v.Verdict != Holds {
		t.Errorf("Go 12 ms, Rust 4 ms to first 200: %+v", v)
	}
	if v := f.verdict(t, "startup-serverless"); v.Verdict != Contradicted || !strings.Contains(v.Basis, "warm starts only") {
		t.Errorf("Rust 4 ms is not sub-millisecond: %+v", v)
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

func TestGCPauses(t *testing.T) {
	f := newFakeRun().echo("go-std").samples("EchoLoad/impl=go-std/rate=high", units.GCPauseMax, 300e3, 5)
	if v := f.verdict(t, "gc-pauses"); v.Verdict != Holds {
		t.Errorf("300 µs pauses: %+v", v)
	}
	f.samples("EchoLoad/impl=go-std/rate=max", units.GCPauseMax, 1.5e6, 1)
	if v := f.verdict(t, "gc-pauses"); v.Verdict != Contradicted || !strings.Contains(v.Basis, "in 6 server runs") {
		t.Errorf("one 1.5 ms pause: %+v", v)
	}
}
