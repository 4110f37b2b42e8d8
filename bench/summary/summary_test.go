package summary

import (
	"math"
	"testing"

	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/stats"
	"github.com/gorustbench/gorustbench/bench/units"
	"golang.org/x/perf/benchfmt"
)

func run(lines map[string][]benchfmt.Value, cases ...*results.CaseState) *results.Run {
	r := &results.Run{Manifest: results.Manifest{Cases: cases}}
	for name, vals := range lines {
		for range 6 {
			r.Results = append(r.Results, &benchfmt.Result{Name: benchfmt.Name(name), Iters: 1, Values: vals})
		}
	}
	return r
}

// Samples of a server case are found under every name the case writes, and only an ok case's
// samples are evidence.
func TestSamplesBelongToTheirCase(t *testing.T) {
	tab, err := Of(run(map[string][]benchfmt.Value{
		"EchoStartup/impl=rust-axum":          {{Value: 3.5e6, Unit: units.IdleRSS}},
		"EchoLoad/impl=rust-axum/rate=high":   {{Value: 4.5e6, Unit: units.PeakRSS}},
		"EchoLoad/impl=go-fasthttp/rate=high": {{Value: 8.5e6, Unit: units.PeakRSS}},
	},
		&results.CaseState{Name: "Echo/impl=rust-axum", State: results.CaseOK},
		&results.CaseState{Name: "Echo/impl=go-fasthttp", State: results.CaseFailed},
	))
	if err != nil {
		t.Fatal(err)
	}
	axum := key.Key{Bench: "Echo", Impl: "rust-axum"}
	if s, ok := tab.OK(axum.AtLevel(key.High), units.PeakRSS); !ok || s.Center != 4.5e6 || s.N != 6 {
		t.Errorf("peak under load of an ok case: %+v %v", s, ok)
	}
	fast := key.Key{Bench: "Echo", Impl: "go-fasthttp"}.AtLevel(key.High)
	if _, ok := tab.OK(fast, units.PeakRSS); ok {
		t.Error("samples of a failed case must not be evidence")
	}
	if c, ok := tab.Cell(fast, units.PeakRSS); !ok || !c.Partial || c.State != results.CaseFailed {
		t.Errorf("a failed case's samples are kept, marked partial: %+v", c)
	}
}

// Derived units are computed once, here: CPU = user + sys, GFLOPS = 2n³ / ns per multiply.
func TestDerived(t *testing.T) {
	tab, err := Of(run(map[string][]benchfmt.Value{
		"Matmul/impl=c-naive/size=100/threads=1": {{Value: 1e6, Unit: units.PerOp}, {Value: 3e6, Unit: units.User}, {Value: 1e6, Unit: units.Sys}},
	}, &results.CaseState{Name: "Matmul/impl=c-naive/size=100/threads=1", State: results.CaseOK}))
	if err != nil {
		t.Fatal(err)
	}
	k := key.Key{Bench: "Matmul", Impl: "c-naive", Size: key.N(100), Threads: key.N(1)}
	if s, _ := tab.OK(k, units.GFLOPS); math.Abs(s.Center-2) > 1e-9 {
		t.Errorf("GFLOPS %v, want 2 (2e6 flops per µs... per ms)", s.Center)
	}
	if s, _ := tab.OK(k, units.CPU); s.Center != 4e6 {
		t.Errorf("CPU %v, want 4e6", s.Center)
	}
	if got := Text(tab.cells[cellID{k.String(), units.CPU}].Summary, units.CPU); got != "4 ms [4 ms, 4 ms]" {
		t.Errorf("text %q", got)
	}
}

func TestBadNameIsAnError(t *testing.T) {
	if _, err := Of(run(map[string][]benchfmt.Value{"Matmul/colour=red": {{Value: 1, Unit: units.PerOp}}})); err == nil {
		t.Error("a name that does not parse must be an error")
	}
}

// Reading an interrupted case's samples is counted by the View it went through, and only
// there: the table itself reads without side effects.
func TestViewsCountTheirOwnPartialReads(t *testing.T) {
	tab, err := Of(run(map[string][]benchfmt.Value{
		"Hello/impl=go-std": {{Value: 1e6, Unit: units.Exec}},
		"Hello/impl=c-std":  {{Value: 1e6, Unit: units.Exec}},
	},
		&results.CaseState{Name: "Hello/impl=go-std", State: results.CaseInterrupted},
		&results.CaseState{Name: "Hello/impl=c-std", State: results.CaseOK},
	))
	if err != nil {
		t.Fatal(err)
	}
	cut, whole := key.Key{Bench: "Hello", Impl: "go-std"}, key.Key{Bench: "Hello", Impl: "c-std"}
	a, b := tab.View(), tab.View()
	if _, ok := a.OK(cut, units.Exec); !ok {
		t.Fatal("an interrupted case's samples are evidence")
	}
	a.Values(cut, units.Exec)
	b.OK(whole, units.Exec)
	tab.OK(cut, units.Exec)
	if a.PartialReads() != 2 || b.PartialReads() != 0 || tab.PartialReads() != 0 {
		t.Errorf("partial reads: view a %d (want 2), view b %d (want 0), table %d (want 0)", a.PartialReads(), b.PartialReads(), tab.PartialReads())
	}
}

// A case that sequential sampling looked at twice has its intervals asked at 97.5%: with 6
// equal samples there is none (it needs 7), while a case with one look keeps its 95% one.
func TestLooksMakeIntervalsStricter(t *testing.T) {
	tab, err := Of(run(map[string][]benchfmt.Value{
		"Hello/impl=c-std":  {{Value: 1e6, Unit: units.Exec}},
		"Hello/impl=go-std": {{Value: 1e6, Unit: units.Exec}},
	},
		&results.CaseState{Name: "Hello/impl=c-std", State: results.CaseOK},
		&results.CaseState{Name: "Hello/impl=go-std", State: results.CaseOK, Looks: 2},
	))
	if err != nil {
		t.Fatal(err)
	}
	c, g := key.Key{Bench: "Hello", Impl: "c-std"}, key.Key{Bench: "Hello", Impl: "go-std"}
	if l := tab.Level(c); l != 0.95 {
		t.Errorf("one look: level %v", l)
	}
	if l := tab.Level(c, g); math.Abs(l-0.975) > 1e-12 {
		t.Errorf("two looks: level %v", l)
	}
	if s, _ := tab.OK(c, units.Exec); !s.HasInterval() {
		t.Errorf("6 samples at 95%%: %+v", s)
	}
	if s, _ := tab.OK(g, units.Exec); s.HasInterval() {
		t.Errorf("6 samples at 97.5%%: %+v", s)
	}
}

// A server case given timed starts alone (StartLooks) reads its warm start-ups at the stricter
// level; its load windows and cold starts, which did not grow, keep the level of its whole
// rounds.
func TestStartLooksMakeOnlyWarmStartupsStricter(t *testing.T) {
	echo := key.Key{Bench: "Echo", Impl: "go-std"}
	tab, err := Of(run(map[string][]benchfmt.Value{
		echo.Startup(false).String(): {{Value: 1e6, Unit: units.First200}},
	},
		&results.CaseState{Name: echo.String(), State: results.CaseOK, Looks: 2, StartLooks: 4},
	))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		k    key.Key
		want float64
	}{
		{echo.Startup(false), stats.LookConfidence(4)},
		{echo.Startup(true), stats.LookConfidence(2)},
		{echo.AtLevel(key.High), stats.LookConfidence(2)},
	} {
		if l := tab.Level(tc.k); math.Abs(l-tc.want) > 1e-12 {
			t.Errorf("%s: level %v, want %v", tc.k, l, tc.want)
		}
	}
}
