package report

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gorustbench/gorustbench/bench/claims"
	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/units"
	"golang.org/x/perf/benchfmt"
)

func TestWriteFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	d, err := results.Create(dir, &results.Manifest{RunID: "r1", Profile: "smoke"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	d.Manifest(func(m *results.Manifest) {
		m.Host.CPUModel, m.Host.CPUs = "Test CPU", 2
		m.Cases = []*results.CaseState{
			{Name: "Hello/impl=go-std", Workload: "hello", Impl: "go-std", State: results.CaseOK, Samples: 8},
			{Name: "Hello/impl=rust-std", Workload: "hello", Impl: "rust-std", State: results.CaseFailed, Reason: "verify run 1 crashed: killed by SIGSEGV; log: logs/x.out"},
		}
	})
	for i := range 8 {
		d.Add(results.Sample{Key: key.Key{Bench: "Hello", Impl: "go-std"}, Iters: 1, Values: []benchfmt.Value{
			{Value: 1.5e6 + float64(i)*1e3, Unit: units.Exec}, {Value: 2.2e6, Unit: units.PeakRSS}}})
	}
	if err := d.Finish(results.StateInterrupted, "stopped by a signal"); err != nil {
		t.Fatal(err)
	}
	path, err := WriteFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	md, _ := os.ReadFile(path)
	for _, want := range []string{
		"> **This run was interrupted** (stopped by a signal).",
		"| CPU | Test CPU, 2 logical CPUs",
		"| startup-service | **contradicted** | Go in tens of ms: go hello exec to exit median 1.5 ms, 95% CI [1.5 ms, 1.51 ms], n=8; Rust in ms: Hello/impl=rust-std failed: verify run 1 crashed",
		"| Hello/impl=go-std | ok | 8 | 1.5 ms [1.5 ms, 1.51 ms] |",
		"| Hello/impl=rust-std | failed | 0 | verify run 1 crashed: killed by SIGSEGV; log: logs/x.out |",
		"| learning curve |",
	} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	var vs []claims.Verdict
	data, _ := os.ReadFile(filepath.Join(dir, "verdicts.json"))
	if err := json.Unmarshal(data, &vs); err != nil || len(vs) != len(claims.Registry) {
		t.Errorf("verdicts.json: %d verdicts, %v", len(vs), err)
	}
}
