package plot

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gorustbench/gorustbench/bench/peer"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/summary"
	"github.com/gorustbench/gorustbench/bench/units"
	"golang.org/x/perf/benchfmt"
)

func run(values map[string]map[string]float64, cases ...*results.CaseState) *results.Run {
	r := &results.Run{Manifest: results.Manifest{Cases: cases}}
	r.Manifest.Host.PeakGFLOPS, r.Manifest.Host.CPUs = 78, 2
	for name, units := range values {
		for unit, v := range units {
			r.Results = append(r.Results, &benchfmt.Result{Name: benchfmt.Name(name), Iters: 1, Values: []benchfmt.Value{{Value: v, Unit: unit}}})
		}
	}
	return r
}

func TestWriteDrawsWhatTheRunHas(t *testing.T) {
	dir := t.TempDir()
	r := run(map[string]map[string]float64{
		"Hello/impl=go-std":                       {units.Exec: 1.5e6},
		"Hello/impl=rust-std":                     {units.Exec: 0.9e6},
		"Matmul/impl=go-naive/size=128/threads=1": {units.PerOp: 1e6},
		"Matmul/impl=go-naive/size=256/threads=1": {units.PerOp: 8e6},
		"EchoStartup/impl=go-std":                 {units.IdleRSS: 8e6, units.First200: 7e6},
	},
		&results.CaseState{Name: "Hello/impl=go-std", Workload: "hello", Impl: "go-std", State: results.CaseOK},
		&results.CaseState{Name: "Hello/impl=rust-std", Workload: "hello", Impl: "rust-std", State: results.CaseOK},
		&results.CaseState{Name: "Matmul/impl=go-naive/size=128/threads=1", Workload: "matmul", Impl: "go-naive", State: results.CaseOK, Params: peer.Params{Size: 128, Threads: 1}},
		&results.CaseState{Name: "Matmul/impl=go-naive/size=256/threads=1", Workload: "matmul", Impl: "go-naive", State: results.CaseOK, Params: peer.Params{Size: 256, Threads: 1}},
		&results.CaseState{Name: "Echo/impl=go-std", Workload: "echo", Impl: "go-std", State: results.CaseOK},
	)
	tab, err := summary.Of(r)
	if err != nil {
		t.Fatal(err)
	}
	charts, err := Write(dir, tab, "svg")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range charts {
		names = append(names, c.Name)
	}
	if want := "overview startup-service memory-service memory-serverless matmul-1thread"; strings.Join(names, " ") != want {
		t.Fatalf("charts %q, want %q", names, want)
	}
	for _, c := range charts {
		st, err := os.Stat(filepath.Join(dir, c.File))
		if err != nil || st.Size() < 1000 {
			t.Errorf("%s: %v", c.File, err)
		}
	}
}

func TestDegenerateDataIsAnErrorOrNothingNeverACrash(t *testing.T) {
	r := run(map[string]map[string]float64{"Hello/impl=go-std": {units.Exec: 0}},
		&results.CaseState{Name: "Hello/impl=go-std", Workload: "hello", Impl: "go-std", State: results.CaseOK})
	if _, err := Write(t.TempDir(), table(t, r), "png"); err != nil {
		t.Logf("zero start-up time: %v", err) // an error is fine; a panic is not
	}
	if charts, err := Write(t.TempDir(), table(t, run(nil)), "svg"); err != nil || len(charts) != 0 {
		t.Errorf("empty run: %v %v", charts, err)
	}
}

func table(t *testing.T, r *results.Run) *summary.Table {
	t.Helper()
	tab, err := summary.Of(r)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

// A run whose every sample is zero (a peer that did nothing measurable) still gets its report:
// a chart on a log axis drops what it cannot draw, and a chart that fails is named, not fatal.
func TestZeroValuesDoNotCostTheReport(t *testing.T) {
	r := run(map[string]map[string]float64{"Hello/impl=go-std": {units.Exec: 0, units.PerOp: 0, units.PeakRSS: 0}},
		&results.CaseState{Name: "Hello/impl=go-std", Workload: "hello", Impl: "go-std", State: results.CaseOK})
	charts, err := Write(t.TempDir(), table(t, r), "svg")
	var sk *Skipped
	if err != nil && !errors.As(err, &sk) {
		t.Fatalf("a zero sample must not fail the charts: %v", err)
	}
	_ = charts
}
