// Package summary is the one place a run's samples become figures. Built once from a run
// folder, a Table holds, per benchmark key and unit, every value in file order, their median
// with its confidence interval, and the state of the case the samples belong to. Derived
// figures (CPU time, GFLOPS) are computed here and nowhere else. Claims, the report, the
// charts, compare and the gate read a Table; none of them reads samples.bench itself.
package summary

import (
	"fmt"
	"math"

	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/stats"
	"github.com/gorustbench/gorustbench/bench/suite"
	"github.com/gorustbench/gorustbench/bench/units"
)

// Cell is one key's samples in one unit.
type Cell struct {
	Key     key.Key
	Unit    string
	Values  []float64 // in file order, one per timed run (or load window)
	Summary stats.Summary
	// State is the state of the case the samples belong to (results.CaseOK, ...), or "" for
	// samples no case owns (build times, binary sizes).
	State string
	// Partial is set when the case did not end ok: the samples are evidence with a caveat.
	Partial bool
}

type cellID struct {
	key  string
	unit string
}

// Table is a run's samples, summarised.
type Table struct {
	Run   *results.Run
	cells map[cellID]*Cell
	keys  []key.Key // every key with samples, in file order
	cases map[string]*results.CaseState
	// partial, in a View, counts the reads of cells whose case the run's interruption cut
	// short; nil in the Table Of returns, which counts nothing.
	partial *int
}

// View is t read by one consumer (one claim's rule): the same cells, with a count of its own
// of the reads of partial evidence (PartialReads), so that what it rests on can be said.
func (t *Table) View() *Table {
	v := *t
	v.partial = new(int)
	return &v
}

// Of summarises a run. A sample whose name does not parse is an error naming it.
func Of(run *results.Run) (*Table, error) {
	t := &Table{Run: run, cells: map[cellID]*Cell{}, cases: map[string]*results.CaseState{}}
	for _, c := range run.Manifest.Cases {
		t.cases[c.Name] = c
	}
	seen := map[string]bool{}
	for _, res := range run.Results {
		k, err := key.Parse(res.Name.String())
		if err != nil {
			return nil, fmt.Errorf("%s: %w", run.Path, err)
		}
		if string(res.GetConfig(results.WindowStateKey)) == results.WindowFailed {
			continue // a failed load window measured failures, not the server: never a figure
		}
		ks := k.String()
		if !seen[ks] {
			seen[ks] = true
			t.keys = append(t.keys, k)
		}
		var user, sys, input, peak, dec, enc float64
		var hasUser, hasSys bool
		for _, v := range res.Values {
			unit, val := v.OrigUnit, v.OrigValue
			if unit == "" {
				unit, val = v.Unit, v.Value
			}
			t.add(k, unit, val)
			switch unit {
			case units.InputBytes:
				input = val
			case units.PeakRSS:
				peak = val
			case units.DecodeNs:
				dec = val
			case units.EncodeNs:
				enc = val
			case units.User:
				user, hasUser = val, true
			case units.Sys:
				sys, hasSys = val, true
			case units.PerOp:
				if k.Bench == suite.Matmul.Title && k.Size.Set && val > 0 {
					n := float64(k.Size.V)
					t.add(k, units.GFLOPS, 2*n*n*n/val)
				}
			}
		}
		if input > 0 {
			if dec > 0 {
				t.add(k, units.DecodeMBps, input/dec*1e3) // bytes per ns = GB/s
			}
			if enc > 0 {
				t.add(k, units.EncodeMBps, input/enc*1e3)
			}
			if peak > 0 {
				t.add(k, units.RSSPerInput, peak/input)
			}
		}
		if hasUser && hasSys {
			t.add(k, units.CPU, user+sys)
			t.add(k, units.CPUPerOp, (user+sys)/float64(max(1, res.Iters)))
		}
	}
	for _, c := range t.cells {
		c.Summary = stats.SummarizeAt(c.Values, t.Level(c.Key))
		if st := t.Case(c.Key); st != nil {
			c.State = st.State
			c.Partial = st.State != results.CaseOK
		}
	}
	return t, nil
}

func (t *Table) add(k key.Key, unit string, v float64) {
	id := cellID{k.String(), unit}
	c := t.cells[id]
	if c == nil {
		c = &Cell{Key: k, Unit: unit}
		t.cells[id] = c
	}
	c.Values = append(c.Values, v)
}

// Case is the manifest's record of the case a key belongs to, or nil (build samples, or a
// case the manifest does not list).
func (t *Table) Case(k key.Key) *results.CaseState { return t.cases[k.Case().String()] }

// Level is the confidence to ask of an interval over the samples of ks: stats.Confidence,
// stricter for samples that sequential sampling looked at and extended
// (stats.LookConfidence of their looks; the strictest of ks). A server case given timed
// starts alone makes only its warm start-ups stricter (CaseState.StartLooks).
func (t *Table) Level(ks ...key.Key) float64 {
	level := stats.Confidence
	for _, k := range ks {
		st := t.Case(k)
		if st == nil {
			continue
		}
		looks := st.Looks
		if k.Phase == key.Startup && k.Cache != key.Cold {
			looks = max(looks, st.StartLooks)
		}
		level = max(level, stats.LookConfidence(looks))
	}
	return level
}

// Cell returns the samples of k in unit, whatever the state of their case.
func (t *Table) Cell(k key.Key, unit string) (*Cell, bool) {
	c, ok := t.cells[cellID{k.String(), unit}]
	return c, ok
}

// usable reports whether c's samples are evidence: its case ended ok, or the run was stopped
// while it ran (interrupted: what it measured is true, only fewer samples; a View counts
// each such read, so a verdict can say it rests on partial evidence). Samples of a failed
// case (a crash, a wrong checksum) are never evidence.
func (t *Table) usable(c *Cell) bool {
	switch {
	case !c.Partial:
		return true
	case c.State == results.CaseInterrupted:
		if t.partial != nil {
			*t.partial++
		}
		return true
	}
	return false
}

// OK returns the summary of k in unit when its samples are evidence (see usable) and it has
// samples. Rules that decide verdicts use this.
func (t *Table) OK(k key.Key, unit string) (stats.Summary, bool) {
	c, ok := t.Cell(k, unit)
	if !ok || !t.usable(c) {
		return stats.Summary{}, false
	}
	return c.Summary, true
}

// Values returns the samples of k in unit when they are evidence; nil otherwise.
func (t *Table) Values(k key.Key, unit string) []float64 {
	c, ok := t.Cell(k, unit)
	if !ok || !t.usable(c) {
		return nil
	}
	return c.Values
}

// PartialReads is how many reads made through this View were of samples of interrupted
// cases; 0 for a Table that is not a View.
func (t *Table) PartialReads() int {
	if t.partial == nil {
		return 0
	}
	return *t.partial
}

// Keys returns every key with samples, in file order, that match (all when match is nil).
func (t *Table) Keys(match func(key.Key) bool) []key.Key {
	var out []key.Key
	for _, k := range t.keys {
		if match == nil || match(k) {
			out = append(out, k)
		}
	}
	return out
}

// Worst is the largest sample of k in unit when its case ended ok (maxima: a median of maxima
// would hide the worst).
func (t *Table) Worst(k key.Key, unit string) (float64, bool) {
	v := t.Values(k, unit)
	if len(v) == 0 {
		return 0, false
	}
	m := math.Inf(-1)
	for _, x := range v {
		m = max(m, x)
	}
	return m, true
}

// Text renders a cell for a person: "1.34 ms [1.31 ms, 1.38 ms]" (no interval: the median alone).
func Text(s stats.Summary, unit string) string {
	f := func(v float64) string { return units.Format(unit, v) }
	if !s.HasInterval() {
		return f(s.Center)
	}
	return fmt.Sprintf("%s [%s, %s]", f(s.Center), f(s.Lo), f(s.Hi))
}
