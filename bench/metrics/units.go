package metrics

import (
	"math"
	"strings"
)

// Unit is how a samples.bench unit appears in Prometheus: the base unit its family is named
// for, the metric label that says what was measured, and the factor that converts a value.
type Unit struct {
	Suffix string  // the family's unit: "seconds", "bytes", "ratio", "requests_per_second", ...
	Metric string  // the metric label: "exec" of exec-ns, "peak-RSS" of peak-RSS-B, "per-op" of ns/op
	Scale  float64 // Prometheus value = samples.bench value × Scale
}

// Apply converts a samples.bench value. A scale below 1 divides (by 1e9 rather than times
// 1e-9), so that whole nanoseconds become the nearest float64 of their seconds: 4000 ns is
// 4e-06, not 4.000000000000001e-06.
func (u Unit) Apply(v float64) float64 {
	if u.Scale < 1 {
		return v / math.Round(1/u.Scale)
	}
	return v * u.Scale
}

// Suffixes lists every family unit, in the order families are registered.
var Suffixes = []string{"seconds", "bytes", "ratio", "bytes_per_second", "requests_per_second", "flops_per_second", "events"}

// ConvertUnit maps a samples.bench unit to Prometheus base units, as the Prometheus naming
// guide asks: nanoseconds become seconds, bytes stay bytes, MB/s become bytes per second,
// GFLOPS flops per second; a 0/1 flag or a quotient of like units is a ratio; a plain count
// (gc-pauses, errors) is events. A per-operation figure keeps the operation in the metric
// label ("spawn-ns/task" is seconds with metric "spawn-per-task"). Samples keep their
// benchfmt units in samples.bench: only the exposition converts.
func ConvertUnit(u string) Unit {
	base, per, hasPer := strings.Cut(u, "/")
	metric := func(m string) string {
		if hasPer && per != "s" {
			if m == "" {
				return "per-" + per
			}
			return m + "-per-" + strings.TrimSuffix(per, "-B")
		}
		return m
	}
	switch {
	case u == "GFLOPS":
		return Unit{"flops_per_second", "matmul", 1e9}
	case hasPer && per == "s" && strings.HasSuffix(base, "req"):
		m := strings.TrimSuffix(strings.TrimSuffix(base, "req"), "-")
		if m == "" {
			m = "throughput"
		}
		return Unit{"requests_per_second", m, 1}
	case hasPer && per == "s" && strings.HasSuffix(base, "-MB"):
		return Unit{"bytes_per_second", strings.TrimSuffix(base, "-MB"), 1e6}
	case hasPer && strings.HasSuffix(per, "-B") && !strings.HasSuffix(base, "-B"):
		return Unit{"ratio", base + "-per-" + strings.TrimSuffix(per, "-B"), 1} // bytes over bytes
	case base == "ns":
		return Unit{"seconds", metric(""), 1e-9}
	case strings.HasSuffix(base, "-ns"):
		return Unit{"seconds", metric(strings.TrimSuffix(base, "-ns")), 1e-9}
	case strings.HasSuffix(base, "-B"):
		return Unit{"bytes", metric(strings.TrimSuffix(base, "-B")), 1}
	case u == "loadgen-limited":
		return Unit{"ratio", u, 1}
	}
	return Unit{"events", metric(base), 1}
}
