package claims

import (
	"fmt"
	"strings"

	"github.com/gorustbench/gorustbench/bench/results"
)

// instruments lists, for each claim, the harness instruments its verdict reads through. The
// peers' own clocks (kernels, JSON, FFI, fan-out), build times and file sizes are not among
// them: calibration checks the instruments the harness owns.
var instruments = map[string][]string{
	"startup-service":      {results.InstrStartup},
	"startup-serverless":   {results.InstrStartup},
	"memory-service":       {results.InstrPeakRSS},
	"memory-serverless":    {results.InstrPeakRSS},
	"gc-pauses":            {results.InstrHiccup},
	"io-model":             {results.InstrLoadgen},
	"api-load-economics":   {results.InstrLoadgen, results.InstrCPUTime, results.InstrPeakRSS},
	"realtime-latency":     {results.InstrLoadgen, results.InstrHiccup},
	"goroutine-footprint":  {results.InstrPeakRSS},
	"data-pipeline-memory": {results.InstrPeakRSS},
	"go-resources":         {results.InstrPeakRSS, results.InstrCPUTime},
	"predictability":       {results.InstrHiccup, results.InstrLoadgen},
	"fasthttp-fast":        {results.InstrLoadgen},
}

// Instruments names the instruments claim's verdict reads through.
func Instruments(claim string) []string { return instruments[claim] }

// checkCalibration makes a decided verdict inconclusive when an instrument it reads through
// failed its calibration on the run's machine: the figure may be the instrument's error.
func checkCalibration(v Verdict, cal *results.Calibration) Verdict {
	if v.Verdict == Inconclusive || v.Verdict == NotMeasured || cal == nil {
		return v
	}
	var why []string
	for _, instr := range instruments[v.Claim] {
		for _, f := range cal.Failed(instr) {
			why = append(why, fmt.Sprintf("%s %+.0f%% against %s", f.Name, 100*f.Error, f.Reference))
		}
	}
	if len(why) == 0 {
		return v
	}
	v.Basis = fmt.Sprintf("%s, had the instruments been right; but an instrument it reads through failed calibration on this machine (%s), so the figure may be the instrument's error", v.Verdict, strings.Join(why, "; ")) + ". " + v.Basis
	v.Verdict = Inconclusive
	return v
}
