package loadgen

import (
	"fmt"

	"github.com/gorustbench/gorustbench/bench/units"
	"golang.org/x/perf/benchfmt"
)

// Values are what one load window measures, as samples.bench values: throughput, the rate
// asked for (0 for a closed loop), latency percentiles from the scheduled send and p99 from
// the actual send, failed requests, and 1 in loadgen-limited when the generator itself may
// have set the pace (Bottleneck says why).
func (r Result) Values() []benchfmt.Value {
	limited := 0.0
	if r.Bottleneck != "" {
		limited = 1
	}
	v := func(x float64, unit string) benchfmt.Value { return benchfmt.Value{Value: x, Unit: unit} }
	return []benchfmt.Value{
		v(r.AchievedRate, units.Throughput),
		v(r.TargetRate, units.TargetRate),
		v(float64(r.Latency.P50), units.LatP50),
		v(float64(r.Latency.P90), units.LatP90),
		v(float64(r.Latency.P99), units.LatP99),
		v(float64(r.Latency.P999), units.LatP999),
		v(float64(r.Latency.Max), units.LatMax),
		v(float64(r.Uncorrected.P99), units.LatP99Uncorr),
		v(float64(r.Errors+r.Non2xx), units.Errors),
		v(limited, units.Limited),
		v(float64(r.Lag.P999), units.LagP999),
	}
}

// MaxFailedShare is the share of a window's requests that may fail (no answer, or a non-2xx
// answer) before the window itself counts as failed: a server that fails more than one
// request in a thousand is not serving, and its throughput and latency are not evidence.
const MaxFailedShare = 0.001

// Failure says in one line why a load window is failed, or "" when it is not: it got no
// successful answer, or more than MaxFailedShare of its requests failed (connection errors,
// timeouts, malformed or non-2xx answers). Its throughput and latency then measure failures.
func (r Result) Failure() string {
	failed := r.Errors + r.Non2xx
	total := r.Requests + r.Errors
	first := ""
	if r.FirstError != "" {
		first = fmt.Sprintf("; first error: %s", r.FirstError)
	}
	switch {
	case total == 0:
		return "no request was answered in the window"
	case r.Requests-r.Non2xx <= 0:
		return fmt.Sprintf("no successful answer: %d of %d requests failed (%d non-2xx answers, %d without an answer)%s", failed, total, r.Non2xx, r.Errors, first)
	case float64(failed) > MaxFailedShare*float64(total):
		return fmt.Sprintf("%d of %d requests failed (%d non-2xx answers, %d without an answer), more than %.1f%%%s", failed, total, r.Non2xx, r.Errors, 100*MaxFailedShare, first)
	}
	return ""
}
