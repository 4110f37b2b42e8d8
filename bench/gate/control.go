package gate

import (
	"fmt"
	"math"

	"github.com/gorustbench/gorustbench/bench/compare"
	"github.com/gorustbench/gorustbench/bench/stats"
	"github.com/gorustbench/gorustbench/bench/units"
)

// Control is a measurement whose time cannot change with the code under test: when it moves
// between baseline and candidate, the machine moved.
type Control struct {
	Name, Unit string
	What       string // in words, for the summary
}

// Controls are the controls in order of preference; the first that both sides have is used.
// Today it is the C hello's exec time, which every profile runs: a fixed C peer, its cost the
// machine's cost of starting a process. The calibration of the instruments (issue 19,
// gorustbench calibrate) plugs in here: once every run records its calibration samples, put
// their key first, and the C hello becomes a case like the others.
var Controls = []Control{{Name: "Hello/impl=c-std", Unit: units.Exec, What: "the C hello's exec time"}}

// control judges the machine through the first control both sides have. It returns a line on
// what the control showed and, when the machine changed, why the gate cannot judge. The
// control moved when its change is significant at alpha and larger than half the threshold
// (a smaller shift cannot carry a metric past the threshold on its own). A control that moved
// while the other cases' times in its unit did not move with it (their median change less
// than half of its change, or the other way) did not measure the machine: its own peer
// changed, and it is judged as a case.
func control(res *Result, pairs Pairs, o Options, warnings []string) (note, machine string, _ []string) {
	var row *compare.Row
	var c Control
	for _, cand := range Controls {
		for _, r := range res.Table.Rows {
			if r.Name == cand.Name && r.Unit == cand.Unit && !r.Cells[0].Missing() && !r.Cells[1].Missing() {
				row, c = r, cand
				break
			}
		}
		if row != nil {
			break
		}
	}
	if row == nil {
		return "", "", append(warnings, "no control in both runs (the C hello did not run on both sides): a machine that changed between them cannot be told from a regression")
	}
	for _, side := range [][]float64{row.Cells[0].Values, row.Cells[1].Values} {
		if u := Unstable(side, func(v float64) string { return units.Format(row.Unit, v) }); u != "" {
			return fmt.Sprintf("control (%s): %s", c.What, u), "", append(warnings, "the control is unstable: a machine that changed between the runs cannot be told from a regression; more rounds, or a quieter machine")
		}
	}
	e := estimate(row, pairs, o.Alpha)
	desc := fmt.Sprintf("%+.1f%%", 100*(e.Ratio-1))
	if !math.IsNaN(e.Lo) {
		desc += fmt.Sprintf(" [%+.1f%%, %+.1f%%]", 100*(e.Lo-1), 100*(e.Hi-1))
	}
	desc += fmt.Sprintf(" (p=%.3f, %s)", e.P, e.Method)
	moved := e.P < o.Alpha && math.Abs(e.Ratio-1) > o.Threshold/2
	if !moved {
		return fmt.Sprintf("control (%s): %s: within its noise, or below half the threshold; the machine held still", c.What, desc), "", warnings
	}
	// Did the other cases' times in the control's unit move with it?
	var others []float64
	for _, r := range res.Table.Rows {
		if r == row || r.Unit != c.Unit || r.Cells[0].Missing() || r.Cells[1].Missing() {
			continue
		}
		if b := stats.Median(r.Cells[0].Values); b > 0 {
			others = append(others, stats.Median(r.Cells[1].Values)/b)
		}
	}
	shift := 1.0
	if len(others) > 0 {
		shift = stats.Median(others)
	}
	if len(others) > 0 && (math.Signbit(shift-1) != math.Signbit(e.Ratio-1) || math.Abs(shift-1) < math.Abs(e.Ratio-1)/2) {
		return fmt.Sprintf("control (%s): %s, but the other %d cases' %s moved by a median %+.1f%%: the control's own peer changed, not the machine, and it is judged as a case", c.What, desc, len(others), c.Unit, 100*(shift-1)), "", warnings
	}
	note = fmt.Sprintf("control (%s): %s; the other %d cases' %s moved by a median %+.1f%%", c.What, desc, len(others), c.Unit, 100*(shift-1))
	machine = fmt.Sprintf("the machine changed by %+.1f%% between baseline and candidate (%s, a fixed C peer): the gate cannot tell a regression from the machine; rerun both sides in interleaved rounds on a quiet machine", 100*(e.Ratio-1), c.What)
	return note, machine, warnings
}
