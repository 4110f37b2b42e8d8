package plot

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/HdrHistogram/hdrhistogram-go"
	"github.com/gorustbench/gorustbench/bench/claims"
	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/summary"
	"github.com/gorustbench/gorustbench/bench/units"
)

// fixed is the report's golden run: a quick run trimmed to six samples per benchmark.
func fixed(t *testing.T) *summary.Table {
	t.Helper()
	run, err := results.Load(filepath.Join("..", "report", "testdata", "run"))
	if err != nil {
		t.Fatal(err)
	}
	return table(t, run)
}

func TestEveryMeasuredClaimHasAChartWithItsBand(t *testing.T) {
	tab := fixed(t)
	figs, err := figures(tab)
	if err != nil {
		t.Fatal(err)
	}
	shown := claimed(figs)
	for _, v := range claims.Evaluate(tab) {
		if v.Verdict != claims.NotMeasured && !shown[v.Claim] {
			t.Errorf("claim %s is measured (%s) but no chart shows it", v.Claim, v.Verdict)
		}
	}
	// Every range a measured claim states is drawn as a band somewhere.
	labels := map[string]bool{}
	for _, f := range figs {
		for _, e := range f.legend {
			labels[e.label] = true
		}
	}
	for _, c := range claims.Registry {
		if !shown[c.ID] {
			continue
		}
		for _, r := range c.Ranges {
			if r.Unshaded || r.Part == "go/rust" || r.Part == "go-not-us" {
				continue // orderings and complements: judged, not shaded
			}
			if l := bandOf(c.ID, r.Part, "", 1).label; !labels[l] {
				t.Errorf("claim %s: no chart shades %q", c.ID, l)
			}
		}
	}
}

func TestChartsAreDeterministic(t *testing.T) {
	for _, format := range Formats {
		var first [][]byte
		for i := range 2 {
			dir := t.TempDir()
			charts, err := Write(dir, fixed(t), format)
			if err != nil {
				t.Fatal(err)
			}
			for j, c := range charts {
				data, err := os.ReadFile(filepath.Join(dir, c.File))
				if err != nil {
					t.Fatal(err)
				}
				if i == 0 {
					first = append(first, data)
				} else if !bytes.Equal(first[j], data) {
					t.Errorf("%s: two renderings differ", c.File)
				}
			}
		}
	}
}

// TestSpectrumFromASyntheticHistogram writes a latency log as the runner will, and draws it.
func TestSpectrumFromASyntheticHistogram(t *testing.T) {
	dir := t.TempDir()
	l, err := results.OpenHistogramLog(dir)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Unix(1764000000, 0)
	for _, impl := range []string{"go-std", "rust-hyper"} {
		k := key.Key{Bench: "Echo", Phase: key.Load, Impl: impl, Level: key.Medium}
		c, u := hdrhistogram.New(1, int64(time.Minute), 3), hdrhistogram.New(1, int64(time.Minute), 3)
		for range 100_000 {
			v := int64(50_000 + rng.ExpFloat64()*30_000)
			u.RecordValue(v)
			c.RecordValue(v)
		}
		for i := range 100 { // a 20 ms stall: the corrected histogram sees what waited behind it
			c.RecordValue(int64(20_000_000 - i*200_000))
		}
		if err := l.Add(k, results.Corrected, c, start, start.Add(10*time.Second)); err != nil {
			t.Fatal(err)
		}
		if err := l.Add(k, results.Uncorrected, u, start, start.Add(10*time.Second)); err != nil {
			t.Fatal(err)
		}
		hic := hdrhistogram.New(1, int64(time.Minute), 3)
		for range 10_000 {
			hic.RecordValue(int64(60_000 + rng.ExpFloat64()*100_000))
		}
		if impl == "go-std" {
			gc := hdrhistogram.New(1, int64(time.Minute), 3)
			gc.RecordValues(65_536, 40) // runtime/metrics buckets, at their upper bounds
			gc.RecordValues(262_144, 3)
			if err := l.Add(k, results.GCPause, gc, start, start.Add(10*time.Second)); err != nil {
				t.Fatal(err)
			}
		}
		if err := l.Add(k, results.Hiccup, hic, start, start.Add(10*time.Second)); err != nil {
			t.Fatal(err)
		}
	}
	l.Close()
	r := run(nil)
	r.Path = dir
	out := os.Getenv("GORUSTBENCH_CHARTS") // set to look at it
	if out == "" {
		out = filepath.Join(dir, "charts")
	}
	charts, err := Write(out, table(t, r), "png")
	if err != nil {
		t.Fatal(err)
	}
	charts = withoutOverview(charts)
	if len(charts) != 2 || charts[0].Name != "latency-spectrum-medium" || charts[1].Name != "stalls-spectrum" {
		t.Fatalf("charts %+v", charts)
	}
	hs, _ := results.ReadHistograms(dir)
	curve := CurveOf("go-std", "", false, hs[0].Corrected)
	last := curve.Points[len(curve.Points)-1]
	if last.V < 19e6 || last.P < 99.99 {
		t.Errorf("the spectrum ends at %+v, want the 20 ms maximum past 99.99%%", last)
	}
	if got := (percentileTicks{}).Ticks(1, 1e4); got[0].Label != "0%" || got[9].Label != "90%" || got[len(got)-1].Label != "99.99%" {
		t.Errorf("ticks %+v", got)
	}
}

func TestFanoutAndFootprintCharts(t *testing.T) {
	vals := map[string]map[string]float64{}
	var cases []*results.CaseState
	for i, impl := range []string{"c-pthread", "go-chan", "go-mutex", "rust-crossbeam", "rust-flume", "rust-tokio", "rust-std"} {
		name := "Fanout/impl=" + impl + "/size=200000/workers=4/capacity=64/threads=2"
		vals[name] = map[string]float64{units.PerOp: 100 + 20*float64(i)}
		cases = append(cases, &results.CaseState{Name: name, Workload: "fanout", Impl: impl, State: results.CaseOK})
	}
	for i, impl := range []string{"c-pthread", "go-goroutine", "rust-tokio", "rust-thread"} {
		name := "Footprint/impl=" + impl + "/size=100000/threads=2"
		vals[name] = map[string]float64{units.RSSPerTask: []float64{9000, 2600, 400, 12000}[i]}
		cases = append(cases, &results.CaseState{Name: name, Workload: "footprint", Impl: impl, State: results.CaseOK})
	}
	dir := os.Getenv("GORUSTBENCH_CHARTS") // set to look at them
	if dir == "" {
		dir = t.TempDir()
	}
	charts, err := Write(dir, table(t, run(vals, cases...)), "png")
	if err != nil {
		t.Fatal(err)
	}
	charts = withoutOverview(charts)
	var names []string
	for _, c := range charts {
		names = append(names, c.Name)
	}
	if got := strings.Join(names, " "); got != "fanout-m200000-k4-b64-t2 footprint" {
		t.Errorf("charts %s", got)
	}
}

// withoutOverview drops the overview chart, drawn for every run (TestOverview tests it).
func withoutOverview(charts []Chart) []Chart {
	var out []Chart
	for _, c := range charts {
		if c.Name != OverviewName {
			out = append(out, c)
		}
	}
	return out
}
