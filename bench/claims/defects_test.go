package claims

import (
	"strings"
	"testing"

	"github.com/gorustbench/gorustbench/bench/peer"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/units"
)

// The eight rule defects of issue 21 (section 3), each driven with synthetic evidence. Each
// test failed before its rule was fixed.

// cgo-overhead-large: "contradicted if entirely below 2" — a cgo call at 1.5x a plain call is
// a small overhead, not a large one.
func TestDefectCgoLargeBelowTwoContradicts(t *testing.T) {
	f := newFakeRun().
		add("FFI/impl=go-cgo/size=0/threads=1", "ffi", results.CaseOK, peer.Params{}, units.PerOp, 1.5, 6).
		add("FFI/impl=go-plain/size=0/threads=1", "ffi", results.CaseOK, peer.Params{}, units.PerOp, 1, 6)
	if v := f.verdict(t, "cgo-overhead-large"); v.Verdict != Contradicted {
		t.Errorf("cgo 1.5x a plain call: %s (%s), want contradicted", v.Verdict, v.Basis)
	}
}

// ffi-cost: the holds band is [0.9, 1.1]; a ratio in [1.05, 1.15] overlaps it and is not a
// contradiction of "zero overhead" read as within 10%.
func TestDefectFFIBandEdgeIsInconclusive(t *testing.T) {
	f := newFakeRun().
		add("FFI/impl=go-cgo/size=0/threads=1", "ffi", results.CaseOK, peer.Params{}, units.PerOp, 30, 6).
		add("FFI/impl=go-plain/size=0/threads=1", "ffi", results.CaseOK, peer.Params{}, units.PerOp, 1.5, 6)
	f.run.Manifest.Cases = append(f.run.Manifest.Cases,
		&results.CaseState{Name: "FFI/impl=rust-ffi/size=0/threads=1", State: results.CaseOK},
		&results.CaseState{Name: "FFI/impl=rust-plain/size=0/threads=1", State: results.CaseOK})
	f.fixed("FFI/impl=rust-ffi/size=0/threads=1", units.PerOp, 1.05, 1.08, 1.10, 1.12, 1.15, 1.09).
		fixed("FFI/impl=rust-plain/size=0/threads=1", units.PerOp, 1, 1, 1, 1, 1, 1)
	v := f.verdict(t, "ffi-cost")
	if p := v.Parts[1]; p.Verdict != Inconclusive {
		t.Errorf("Rust FFI/plain in [1.05, 1.15]: %s (%s), want inconclusive", p.Verdict, p.Basis)
	}
}

// memory-serverless: a bare echo server's RSS is a lower bound for a function's, so 8 MiB does
// not contradict "20 MB+"; and a Go service at 15 MB, inside memory-service's 10-20 MB, is not
// contradicted by memory-serverless either.
func TestDefectMemoryServerlessLowerBound(t *testing.T) {
	for _, goMB := range []float64{8e6, 15e6} {
		f := newFakeRun().echo("go-std").echo("rust-axum").
			samples("EchoStartup/impl=go-std", units.IdleRSS, goMB, 6).
			samples("EchoStartup/impl=rust-axum", units.IdleRSS, 3.5e6, 6)
		v := f.verdict(t, "memory-serverless")
		if v.Verdict == Contradicted || v.Parts[0].Verdict == Contradicted {
			t.Errorf("Go echo at %.0f MB idle, a lower bound of a function's: %+v", goMB/1e6, v)
		}
		if goMB == 15e6 {
			if w := f.verdict(t, "memory-service"); w.Parts[0].Verdict != Holds {
				t.Errorf("Go 15 MB in memory-service's 10-20 MB: %+v", w.Parts[0])
			}
		}
	}
}

// startup-serverless: Go's echo start is a lower bound (5 ms does not contradict 10-100 ms);
// Rust's start is judged against a floor measured in the same cache state; without cold
// starts nothing is judged as cold.
func TestDefectStartupServerless(t *testing.T) {
	f := newFakeRun().echo("go-std").echo("rust-axum").
		samples("EchoStartup/impl=go-std/cache=cold", units.First200, 5e6, 6).
		samples("EchoStartup/impl=rust-axum/cache=cold", units.First200, 4e6, 6).
		samples("EchoStartup/impl=go-std", units.First200, 3e6, 6).
		samples("EchoStartup/impl=rust-axum", units.First200, 0.5e6, 6).
		add("Hello/impl=c-std", "hello", results.CaseOK, helloParams, units.Exec, 0.2e6, 20)
	v := f.verdict(t, "startup-serverless")
	for _, p := range v.Parts {
		switch {
		case strings.HasPrefix(p.Name, "Go 10-100 ms cold start") && p.Verdict == Contradicted:
			t.Errorf("Go's echo cold start at 5 ms is a lower bound: %+v", p)
		case strings.HasPrefix(p.Name, "Rust sub-millisecond") && p.Verdict == Contradicted:
			t.Errorf("Rust cold 4 ms judged against a warm 0.2 ms floor (warm start 0.5 ms): %+v", p)
		}
	}
	g := newFakeRun().echo("go-std").echo("rust-axum").
		samples("EchoStartup/impl=go-std", units.First200, 30e6, 6).
		samples("EchoStartup/impl=rust-axum", units.First200, 4e6, 6).
		add("Hello/impl=c-std", "hello", results.CaseOK, helloParams, units.Exec, 0.2e6, 20)
	for _, p := range g.verdict(t, "startup-serverless").Parts {
		if (strings.HasPrefix(p.Name, "Go 10-100 ms cold start") || strings.HasPrefix(p.Name, "Rust's cold start")) && p.Verdict != NotMeasured {
			t.Errorf("warm starts only: a cold-start part is judged on warm starts: %+v", p)
		}
	}
}

// api-load-economics: "Go costs no more at low traffic" can hold (Go and Rust level at low
// traffic, Rust leaner at peak), and the claim is judged on more than one pairing.
func TestDefectEconomicsHoldsReachable(t *testing.T) {
	f := newFakeRun()
	for _, impl := range []string{"go-std", "rust-axum", "go-fasthttp", "rust-hyper"} {
		f.echo(impl).
			samples("EchoLoad/impl="+impl+"/rate=low", units.CPUPerReq, 50e3, 6).
			samples("EchoLoad/impl="+impl+"/rate=low", units.PeakRSS, 5e6, 6)
	}
	for impl, cpu := range map[string]float64{"go-std": 40e3, "go-fasthttp": 35e3, "rust-axum": 20e3, "rust-hyper": 18e3} {
		f.samples("EchoLoad/impl="+impl+"/rate=high", units.CPUPerReq, cpu, 6).
			samples("EchoLoad/impl="+impl+"/rate=high", units.PeakRSS, map[bool]float64{true: 12e6, false: 4e6}[strings.HasPrefix(impl, "go")], 6)
	}
	v := f.verdict(t, "api-load-economics")
	if v.Verdict != Holds {
		t.Errorf("level at low traffic, Rust leaner at peak: %s (%s)", v.Verdict, v.Basis)
	}
	if len(v.Pairings) < 2 {
		t.Errorf("judged on %d pairings, want idiomatic and best: %+v", len(v.Pairings), v.Pairings)
	}
}

// gc-pauses: the runtime's buckets have four sub-buckets per power of two, so a pause reported
// at the 1.57 ms bucket's upper bound lasted at least 1.31 ms: over 1 ms.
func TestDefectGCPauseBucketLowerBound(t *testing.T) {
	f := newFakeRun().echo("go-std").fixed("EchoLoad/impl=go-std/rate=max", units.GCPauseMax, 1572864)
	if v := f.verdict(t, "gc-pauses"); v.Verdict != Contradicted || !strings.Contains(v.Basis, "at least 1.31 ms") {
		t.Errorf("a pause in the (1.31 ms, 1.57 ms] bucket: %s (%s)", v.Verdict, v.Basis)
	}
	g := newFakeRun().echo("go-std").fixed("EchoLoad/impl=go-std/rate=max", units.GCPauseMax, 1048576)
	if v := g.verdict(t, "gc-pauses"); v.Verdict != Inconclusive {
		t.Errorf("a pause in the (0.918 ms, 1.05 ms] bucket may be under 1 ms: %s (%s)", v.Verdict, v.Basis)
	}
}

// goroutine-footprint: a million-goroutine case the run's interruption cut short before any
// sample did not show that a million are practical.
func TestDefectFootprintInterruptedMillion(t *testing.T) {
	f := newFakeRun()
	f.run.Manifest.Cases = append(f.run.Manifest.Cases,
		&results.CaseState{Name: "Footprint/impl=go-goroutine/size=100000/threads=2", State: results.CaseOK},
		&results.CaseState{Name: "Footprint/impl=go-goroutine/size=1000000/threads=2", State: results.CaseInterrupted, Reason: "interrupted"})
	f.samples("Footprint/impl=go-goroutine/size=100000/threads=2", units.RSSPerTask, 2750, 6)
	v := f.verdict(t, "goroutine-footprint")
	if v.Parts[1].Verdict == Holds || v.Verdict == Holds {
		t.Errorf("the million was interrupted with no sample: %+v", v)
	}
}

// compile-speed: one build each gives no interval, so by the vocabulary it cannot hold or be
// contradicted; the ratios are shown.
func TestDefectCompileSpeedNoInterval(t *testing.T) {
	f := newFakeRun()
	f.run.Manifest.Build = &results.Build{Languages: []results.BuildLang{{Lang: "go", CleanNs: 4e9, RebuildNs: 1e9}, {Lang: "rust", CleanNs: 60e9, RebuildNs: 5e9}}}
	v := f.verdict(t, "compile-speed")
	if v.Verdict != Inconclusive || !strings.Contains(v.Basis, "no interval") {
		t.Errorf("clean 15x, rebuild 5x, one build each: %s (%s)", v.Verdict, v.Basis)
	}
}
