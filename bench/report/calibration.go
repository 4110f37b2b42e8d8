package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/gorustbench/gorustbench/bench/claims"
	"github.com/gorustbench/gorustbench/bench/results"
)

// calibrationMarkdown writes the run's calibration: the machine's floor and each instrument
// against its reference, and which claims a failed instrument leaves inconclusive.
func calibrationMarkdown(w io.Writer, run *results.Run) {
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	c := run.Calibration
	p("### Calibration\n\n")
	switch {
	case run.CalibrationErr != "":
		p("Not read: %s. The instruments were not checked on this machine.\n\n", run.CalibrationErr)
		return
	case c == nil:
		p("Not calibrated (`run --calibrate off`, or a run older than calibration): the instruments were not checked on this machine. `gorustbench calibrate` checks them.\n\n")
		return
	}
	p("Each instrument checked on this machine against an independent tool or a known answer before the run (`gorustbench calibrate --mode %s`, %.0f s). A failed check makes every verdict that reads through that instrument inconclusive.\n\n", c.Mode, c.Duration)
	var floor []string
	for _, f := range c.Floor.CPUs {
		floor = append(floor, fmt.Sprintf("CPU %d: p99 %s, p99.9 %s, max %s (n=%d)", f.CPU, dur(float64(f.P99Ns)), dur(float64(f.P999Ns)), dur(float64(f.MaxNs)), f.N))
	}
	if len(floor) == 0 {
		floor = []string{"not measured"}
	}
	steal := "unknown"
	if c.Floor.StealFraction >= 0 {
		steal = fmt.Sprintf("%.1f%% of CPU time", 100*c.Floor.StealFraction)
	}
	p("Machine floor (an idle thread that sleeps 1 ms, alone on each CPU; how late it wakes): %s. Timer slack %s; steal during the calibration %s.\n\n",
		strings.Join(floor, "; "), dur(float64(c.Floor.TimerSlackNs)), steal)
	p("| instrument | measured | against | values | error | tolerance | n | result |\n|---|---|---|---|---|---|---|---|\n")
	for _, k := range c.Checks {
		vals, errText, tol, res := k.Cells()
		if k.Status == results.CheckFail {
			res = "**" + res + "**"
		}
		p("| %s | %s | %s | %s | %s | %s | %d | %s |\n", k.Instrument, k.Name, k.Reference, vals, errText, tol, k.N, res)
	}
	var hit []string
	for _, cl := range claims.Registry {
		for _, instr := range claims.Instruments(cl.ID) {
			if len(c.Failed(instr)) > 0 {
				hit = append(hit, cl.ID)
				break
			}
		}
	}
	if len(hit) > 0 {
		p("\nFailed instruments leave these claims inconclusive here: %s.\n", strings.Join(hit, ", "))
	}
	p("\n")
}

func dur(ns float64) string { return results.FormatValue(ns, "ns") }
