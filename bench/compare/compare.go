// Package compare puts runs side by side: for every benchmark and unit, each run's median
// with its confidence interval, and each run's change against the first with its
// significance, the way benchstat does it. It is built on golang.org/x/perf: benchproc filters
// and orders the rows, benchmath summarises and tests the samples (Mann-Whitney U, or exact
// comparison for units whose Unit line says assume=exact), and the direction of a change comes
// from the Unit lines of samples.bench (better=lower or higher). Columns are labelled by what
// differs between the runs: the machine, else the commit, else the run id.
package compare

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/results"
	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"
	"golang.org/x/perf/benchproc"
)

// Confidence is the level of every interval.
const Confidence = 0.95

// Column is one side of the comparison: one run, or several runs of the same build pooled
// (the rounds of an interleaved CI job).
type Column struct {
	Label string
	Run   *results.Run // the runs pooled into one (Merge)
}

// Cell is one column's samples of one row.
type Cell struct {
	Values  []float64
	Summary benchmath.Summary
	Partial bool // the case did not end ok in this run
}

// Missing reports whether the column has no sample of the row.
func (c Cell) Missing() bool { return len(c.Values) == 0 }

// Delta is a column's change against the first column.
type Delta struct {
	// Ratio is the candidate's median over the baseline's; Lo and Hi the conservative interval
	// of that ratio (the ratios of the medians' interval ends); NaN when there is none.
	Ratio, Lo, Hi float64
	P             float64
	Alpha         float64
	Significant   bool
	Exact         bool // compared exactly (assume=exact): no test, the values are the values
	// Need is the number of samples per side the test needs to detect any difference at
	// Alpha, or a 95% interval of the median; 0 when both sides have enough.
	Need     int
	Warnings []string
}

// Change is the relative change, -0.05 for 5% less.
func (d Delta) Change() float64 { return d.Ratio - 1 }

// Row is one benchmark in one unit across the columns.
type Row struct {
	Name   string // the benchmark name
	Key    key.Key
	Unit   string
	Better int  // +1 higher is better, -1 lower is better, 0 unknown
	Exact  bool // the unit is assumed exact
	Cells  []Cell
	Deltas []Delta // Deltas[i] compares Cells[i] with Cells[0]; Deltas[0] is zero
}

// Table is the comparison.
type Table struct {
	Columns []Column
	Rows    []*Row
	Alpha   float64
}

// Options select and judge rows.
type Options struct {
	// Filter is a benchproc filter ("/impl:go-std", ".unit:(exec-ns OR ns/op)"); "" keeps all.
	Filter string
	// Alpha is the significance level of the U test (default 0.05).
	Alpha float64
}

// Merge pools runs of the same build into one: the first run's manifest, every run's
// samples in order.
func Merge(runs []*results.Run) *results.Run {
	if len(runs) == 1 {
		return runs[0]
	}
	out := &results.Run{Path: runs[0].Path, Manifest: runs[0].Manifest, Units: benchfmt.UnitMetadataMap{}}
	var paths []string
	for _, r := range runs {
		paths = append(paths, r.Path)
		out.Results = append(out.Results, r.Results...)
		for k, v := range r.Units {
			out.Units[k] = v
		}
	}
	out.Path = strings.Join(paths, "+")
	return out
}

// Label names each column by what differs: the machine (CPU model, cores) when machines
// differ, else the commit when commits differ, else the run id; anything still ambiguous gets
// the run id appended.
func Label(runs []*results.Run) []string {
	machine := func(r *results.Run) string {
		return fmt.Sprintf("%s, %d CPUs", r.Manifest.Host.CPUModel, r.Manifest.Host.CPUs)
	}
	commit := func(r *results.Run) string {
		c := r.Manifest.GitCommit
		if c == "" {
			c = "unknown"
		}
		return "commit " + c
	}
	build := func(r *results.Run) string {
		if p := r.Manifest.Prebuilt; p != nil {
			return "peers " + p.ID
		}
		return "peers built in place"
	}
	distinct := func(f func(*results.Run) string) bool {
		seen := map[string]bool{}
		for _, r := range runs {
			seen[f(r)] = true
		}
		return len(seen) > 1
	}
	out := make([]string, len(runs))
	for i, r := range runs {
		var parts []string
		if distinct(machine) {
			parts = append(parts, machine(r))
		}
		if distinct(commit) {
			parts = append(parts, commit(r))
		}
		if len(parts) == 0 && distinct(build) {
			parts = append(parts, build(r))
		}
		if len(parts) == 0 {
			parts = append(parts, "run "+r.Manifest.RunID)
		}
		out[i] = strings.Join(parts, ", ")
	}
	count := map[string]int{}
	for _, l := range out {
		count[l]++
	}
	for i, l := range out {
		if count[l] > 1 && !strings.HasPrefix(l, "run ") {
			out[i] = l + ", run " + runs[i].Manifest.RunID
		}
	}
	return out
}

// Build compares the columns. Rows are every benchmark and unit any column has, ordered by
// benchproc (numerically where parameters are numbers).
func Build(cols []Column, o Options) (*Table, error) {
	if o.Alpha == 0 {
		o.Alpha = 0.05
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("nothing to compare")
	}
	g, err := newGather(o.Filter, len(cols))
	if err != nil {
		return nil, err
	}
	for ci, col := range cols {
		if err := g.add(ci, col.Run); err != nil {
			return nil, err
		}
	}
	t := &Table{Columns: cols, Alpha: o.Alpha, Rows: g.sorted()}
	thr := benchmath.DefaultThresholds
	thr.CompareAlpha = o.Alpha
	for _, r := range t.Rows {
		g.summarize(r, &thr, o.Alpha)
	}
	return t, nil
}

// rowID is a row's benchmark (as benchproc projects its full name) and unit.
type rowID struct {
	name benchproc.Key
	unit string
}

// gather collects the columns' samples into rows.
type gather struct {
	filter *benchproc.Filter // nil: every sample
	proj   *benchproc.Projection
	ncols  int
	rows   map[rowID]*Row
	ids    map[*Row]rowID
	names  []benchproc.Key // in first-seen order
	seen   map[benchproc.Key]bool
	units  benchfmt.UnitMetadataMap // every column's unit metadata: better direction, assumption
}

// newGather parses the filter (benchproc syntax; "" keeps everything).
func newGather(filter string, ncols int) (*gather, error) {
	g := &gather{ncols: ncols, rows: map[rowID]*Row{}, ids: map[*Row]rowID{}, seen: map[benchproc.Key]bool{}, units: benchfmt.UnitMetadataMap{}}
	if filter != "" {
		f, err := benchproc.NewFilter(filter)
		if err != nil {
			return nil, fmt.Errorf("bad filter %q: %v", filter, err)
		}
		g.filter = f
	}
	var parser benchproc.ProjectionParser
	proj, err := parser.Parse(".fullname", g.filter)
	if err != nil {
		return nil, err
	}
	g.proj = proj
	return g, nil
}

// add puts run's samples into column ci: every sample the filter keeps, but none of a failed
// load window (it measured failures, not the server); a cell whose case did not end ok is
// marked partial.
func (g *gather) add(ci int, run *results.Run) error {
	for k, v := range run.Units {
		g.units[k] = v
	}
	cases := map[string]string{}
	for _, c := range run.Manifest.Cases {
		cases[c.Name] = c.State
	}
	for _, res := range run.Results {
		if string(res.GetConfig(results.WindowStateKey)) == results.WindowFailed {
			continue
		}
		match := &benchproc.Match{}
		if g.filter != nil {
			m, err := g.filter.Match(res)
			if err != nil {
				return err
			}
			if !m.Any() {
				continue
			}
			match = &m
		}
		name := g.proj.Project(res)
		k, err := key.Parse(res.Name.String())
		if err != nil {
			return fmt.Errorf("%s: %w", run.Path, err)
		}
		if !g.seen[name] {
			g.seen[name] = true
			g.names = append(g.names, name)
		}
		for vi, v := range res.Values {
			if g.filter != nil && !match.Test(vi) {
				continue
			}
			unit, val := v.OrigUnit, v.OrigValue
			if unit == "" {
				unit, val = v.Unit, v.Value
			}
			r := g.row(rowID{name, unit}, res.Name.String(), k)
			r.Cells[ci].Values = append(r.Cells[ci].Values, val)
			if st, ok := cases[k.Case().String()]; ok && st != results.CaseOK {
				r.Cells[ci].Partial = true
			}
		}
	}
	return nil
}

// row is the row of id, made empty on first use.
func (g *gather) row(id rowID, name string, k key.Key) *Row {
	r := g.rows[id]
	if r == nil {
		r = &Row{Name: name, Key: k, Unit: id.unit, Cells: make([]Cell, g.ncols), Deltas: make([]Delta, g.ncols)}
		g.rows[id] = r
		g.ids[r] = id
	}
	return r
}

// sorted are the rows in benchproc's order of their names, then by unit (unitRank, then
// alphabetically).
func (g *gather) sorted() []*Row {
	benchproc.SortKeys(g.names)
	order := map[benchproc.Key]int{}
	for i, n := range g.names {
		order[n] = i
	}
	var rows []*Row
	for _, r := range g.rows {
		rows = append(rows, r)
	}
	slices.SortFunc(rows, func(a, b *Row) int {
		if d := order[g.ids[a].name] - order[g.ids[b].name]; d != 0 {
			return d
		}
		if d := unitRank(a.Unit) - unitRank(b.Unit); d != 0 {
			return d
		}
		return strings.Compare(a.Unit, b.Unit)
	})
	return rows
}

// summarize gives each of r's cells its summary (under the unit's assumption) and each column
// after the first its change against the first.
func (g *gather) summarize(r *Row, thr *benchmath.Thresholds, alpha float64) {
	r.Better = g.units.GetBetter(r.Unit)
	assume := g.units.GetAssumption(r.Unit)
	r.Exact = assume == benchmath.AssumeExact
	samples := make([]*benchmath.Sample, len(r.Cells))
	for i := range r.Cells {
		c := &r.Cells[i]
		if c.Missing() {
			c.Summary = benchmath.Summary{Center: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
			continue
		}
		samples[i] = benchmath.NewSample(c.Values, thr)
		c.Summary = assume.Summary(samples[i], Confidence)
		if math.IsInf(c.Summary.Lo, 0) || math.IsInf(c.Summary.Hi, 0) {
			c.Summary.Lo, c.Summary.Hi = math.NaN(), math.NaN()
		}
	}
	for i := 1; i < len(r.Cells); i++ {
		r.Deltas[i] = delta(assume, r.Exact, samples[0], samples[i], r.Cells[0].Summary, r.Cells[i].Summary, alpha)
	}
}

// MinSamples is the number of samples per side a comparison needs at alpha: enough for the U
// test to reach significance at all, and for a 95% interval of each median.
func MinSamples(alpha float64) int {
	// The smallest possible two-sided U-test p value for n samples a side is 2/C(2n, n).
	n := 2
	for ; n < 100; n++ {
		if 2/binom(2*n, n) <= alpha {
			break
		}
	}
	return max(n, 6) // benchmath's order-statistic interval at 95% needs 6
}

func binom(n, k int) float64 {
	r := 1.0
	for i := 1; i <= k; i++ {
		r = r * float64(n-k+i) / float64(i)
	}
	return r
}

func delta(assume benchmath.Assumption, exact bool, s0, s1 *benchmath.Sample, a, b benchmath.Summary, alpha float64) Delta {
	d := Delta{Ratio: math.NaN(), Lo: math.NaN(), Hi: math.NaN(), P: math.NaN(), Alpha: alpha, Exact: exact}
	if s0 == nil || s1 == nil {
		return d
	}
	if a.Center != 0 {
		d.Ratio = b.Center / a.Center
	} else if b.Center == 0 {
		d.Ratio = 1
	} else {
		d.Ratio = math.Inf(int(math.Copysign(1, b.Center)))
	}
	if exact {
		d.Lo, d.Hi, d.P = d.Ratio, d.Ratio, 0
		d.Significant = b.Center != a.Center
		return d
	}
	c := assume.Compare(s0, s1)
	d.P, d.Significant = c.P, c.P < alpha
	for _, w := range c.Warnings {
		d.Warnings = append(d.Warnings, w.Error())
	}
	if !math.IsNaN(a.Lo) && !math.IsNaN(b.Lo) && a.Lo > 0 {
		d.Lo, d.Hi = b.Lo/a.Hi, b.Hi/a.Lo
	}
	if need := MinSamples(alpha); len(s0.Values) < need || len(s1.Values) < need {
		d.Need = need
	}
	return d
}

// unitRank orders a row's units: time first, then CPU, memory, the rest.
func unitRank(u string) int {
	for i, p := range []string{"exec-ns", "ns/op", "first200-ns", "user-ns", "sys-ns", "peak-RSS-B"} {
		if u == p {
			return i
		}
	}
	return 100
}
