package loadgen

import (
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
