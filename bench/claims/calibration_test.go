package claims

import (
	"strings"
	"testing"

	"github.com/gorustbench/gorustbench/bench/results"
)

func TestCheckCalibration(t *testing.T) {
	failed := &results.Calibration{Checks: []results.Check{
		{Instrument: results.InstrStartup, Name: "exec to exit, C hello", Reference: "hyperfine -N", Error: 0.4, Status: results.CheckFail},
		{Instrument: results.InstrPeakRSS, Name: "VmHWM of memhog 64 MiB", Reference: "/usr/bin/time -v", Error: 0.01, Status: results.CheckPass},
		{Instrument: results.InstrLoadgen, Name: "closed-loop throughput", Status: results.CheckSkipped},
	}}
	for _, tc := range []struct {
		claim, verdict string
		cal            *results.Calibration
		want           string
	}{
		{"startup-service", Holds, failed, Inconclusive},
		{"startup-serverless", Contradicted, failed, Inconclusive},
		{"startup-service", Inconclusive, failed, Inconclusive},
		{"startup-service", NotMeasured, failed, NotMeasured},
		{"memory-service", Holds, failed, Holds},         // its instrument passed
		{"io-model", Contradicted, failed, Contradicted}, // a skipped check is not a failed one
		{"cpu-vs-c", Contradicted, failed, Contradicted}, // the peers' own clocks
		{"startup-service", Holds, nil, Holds},           // not calibrated
	} {
		v := checkCalibration(Verdict{Claim: tc.claim, Verdict: tc.verdict, Basis: "the numbers"}, tc.cal)
		if v.Verdict != tc.want {
			t.Errorf("%s %s: %s, want %s", tc.claim, tc.verdict, v.Verdict, tc.want)
		}
		if tc.want != tc.verdict && (!strings.Contains(v.Basis, "exec to exit, C hello +40%") || !strings.HasSuffix(v.Basis, "the numbers")) {
			t.Errorf("%s: the basis must name the failed check and keep the numbers: %q", tc.claim, v.Basis)
		}
	}
	for _, c := range Registry {
		for _, instr := range Instruments(c.ID) {
			known := false
			for _, i := range []string{results.InstrStartup, results.InstrPeakRSS, results.InstrCPUTime, results.InstrHiccup, results.InstrLoadgen} {
				known = known || i == instr
			}
			if !known {
				t.Errorf("%s reads through an unknown instrument %q", c.ID, instr)
			}
		}
	}
	for id := range instruments {
		if Lookup(id) == nil {
			t.Errorf("instruments names %s, which is not a claim", id)
		}
	}
}
