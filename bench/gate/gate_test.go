package gate

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gorustbench/gorustbench/bench/results"
	"golang.org/x/perf/benchfmt"
)

var baselineDir = filepath.Join("..", "..", "results", "baseline")

func load(t *testing.T) *results.Run {
	t.Helper()
	r, err := Load([]string{baselineDir})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// scaled is a copy of run with every value of unit in benchmarks named like name multiplied by f.
func scaled(run *results.Run, name, unit string, f float64) *results.Run {
	out := *run
	out.Manifest.Cases = append([]*results.CaseState(nil), run.Manifest.Cases...)
	out.Results = nil
	for _, r := range run.Results {
		c := r.Clone()
		if strings.Contains(c.Name.String(), name) {
			for i, v := range c.Values {
				if v.OrigUnit == unit || v.Unit == unit {
					c.Values[i].Value *= f
					c.Values[i].OrigValue *= f
				}
			}
		}
		out.Results = append(out.Results, c)
	}
	return &out
}

func status(t *testing.T, res *Result, name, unit string) string {
	t.Helper()
	for _, l := range res.Lines {
		if l.Row.Name == name && l.Row.Unit == unit {
			return l.Status
		}
	}
	t.Fatalf("no gated line %s %s", name, unit)
	return ""
}

func TestSameRunPasses(t *testing.T) {
	b := load(t)
	res, err := judgeRuns(b, load(t), Options{Threshold: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed {
		t.Errorf("a run against itself failed: %+v", res.Lines)
	}
}

func TestSlowdownFails(t *testing.T) {
	b := load(t)
	res, err := judgeRuns(b, scaled(b, "impl=go-std", "exec-ns", 1.5), Options{Threshold: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Failed || status(t, res, "Hello/impl=go-std", "exec-ns") != Regressed {
		t.Errorf("a 50%% slowdown passed")
	}
	if status(t, res, "Hello/impl=rust-std", "exec-ns") == Regressed {
		t.Errorf("an unchanged implementation regressed")
	}
}

// A shift smaller than the threshold passes, even when significant.
func TestWithinThresholdPasses(t *testing.T) {
	b := load(t)
	res, err := judgeRuns(b, scaled(b, "impl=go-std", "exec-ns", 1.5), Options{Threshold: 10})
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed {
		t.Errorf("a 50%% slowdown failed a 1000%% threshold")
	}
}

// Which direction is worse comes from the Unit lines: a unit that is better higher regresses
// when it falls.
func TestDirectionFromUnitLines(t *testing.T) {
	b := load(t)
	higher := func(r *results.Run) *results.Run {
		r.Units = benchfmt.UnitMetadataMap{}
		for k, v := range b.Units {
			if v.OrigUnit == "exec-ns" && k.Key == "better" {
				cp := *v
				cp.Value = "higher"
				v = &cp
			}
			r.Units[k] = v
		}
		return r
	}
	base := higher(scaled(b, "", "", 1))
	res, err := judgeRuns(base, higher(scaled(b, "impl=go-std", "exec-ns", 1.5)), Options{Threshold: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed || status(t, res, "Hello/impl=go-std", "exec-ns") != Improved {
		t.Errorf("with better=higher, a rise is an improvement")
	}
	res, _ = judgeRuns(base, higher(scaled(b, "impl=go-std", "exec-ns", 0.5)), Options{Threshold: 0.05})
	if !res.Failed {
		t.Errorf("with better=higher, a fall by half passed")
	}
}

// Binary sizes are exact: one value each side is enough, and any change beyond the threshold fails.
func TestExactUnits(t *testing.T) {
	b := load(t)
	res, err := judgeRuns(b, scaled(b, "Binary/lang=go/workload=hello", "binary-B", 1.10), Options{Threshold: 0.05, Metrics: []string{"binary-B"}})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Failed || status(t, res, "Binary/lang=go/workload=hello", "binary-B") != Regressed {
		t.Errorf("a 10%% larger binary passed")
	}
	res, _ = judgeRuns(b, scaled(b, "Binary/lang=go/workload=hello", "binary-B", 1.01), Options{Threshold: 0.05, Metrics: []string{"binary-B"}})
	if res.Failed {
		t.Errorf("a 1%% larger binary failed a 5%% threshold")
	}
}

func TestChecksumChangeFails(t *testing.T) {
	b := load(t)
	c := scaled(b, "", "", 1)
	for i, cs := range c.Manifest.Cases {
		cp := *cs
		cp.Checksum = "0000000000000000"
		c.Manifest.Cases[i] = &cp
		break
	}
	res, err := judgeRuns(b, c, Options{Threshold: 0.05})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Failed || len(res.Checksum) != 1 {
		t.Errorf("a changed checksum passed: %v", res.Checksum)
	}
}

func TestUnusableInput(t *testing.T) {
	b := load(t)
	few := scaled(b, "", "", 1)
	few.Results = nil
	seen := map[string]int{}
	for _, r := range b.Results {
		if seen[r.Name.String()]++; seen[r.Name.String()] <= 3 {
			few.Results = append(few.Results, r)
		}
	}
	_, err := judgeRuns(b, few, Options{Threshold: 0.05})
	if !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), "need at least 6 per side") {
		t.Errorf("too few samples: err = %v", err)
	}
	if _, err := Load([]string{filepath.Join(t.TempDir(), "nope")}); !errors.Is(err, ErrInput) {
		t.Errorf("a missing folder: err = %v", err)
	}
	if _, err := judgeRuns(b, b, Options{Metrics: []string{"furlongs"}}); !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), "furlongs") {
		t.Errorf("an unknown metric: err = %v", err)
	}
	if _, err := judgeRuns(b, b, Options{Filter: ".name:Nothing"}); !errors.Is(err, ErrInput) {
		t.Errorf("nothing in common: err = %v", err)
	}
}

func TestMarkdown(t *testing.T) {
	b := load(t)
	o := Options{Threshold: 0.05, Alpha: 0.05}
	res, err := judgeRuns(b, scaled(b, "impl=go-std", "exec-ns", 1.5), o)
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	Markdown(&sb, res, b, b, o)
	for _, want := range []string{"## ❌ gorustbench gate: 1 regression(s)", "| `Hello/impl=go-std` | exec-ns |", "all beyond 5%", "<details>"} {
		if !strings.Contains(sb.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, sb.String())
		}
	}
}

// judgeRuns judges one run a side.
func judgeRuns(b, c *results.Run, o Options) (*Result, error) {
	return Judge([]*results.Run{b}, []*results.Run{c}, o)
}
