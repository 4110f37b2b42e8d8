package peer

import (
	"github.com/gorustbench/gorustbench/bench/units"
	"golang.org/x/perf/benchfmt"
)

// Values are what a batch peer's result line measures, as samples.bench values: time per
// operation, peak memory, and, where the line has them, the hiccup meter and Go's GC pauses.
func (r Result) Values() []benchfmt.Value {
	return append([]benchfmt.Value{{Value: float64(r.ElapsedNs) / float64(max(1, r.Ops)), Unit: units.PerOp}}, r.ServerValues()...)
}

// ServerValues are what a server peer's result line measures: everything but time per
// operation (a server's timed region is READY to SIGTERM, not work).
func (r Result) ServerValues() []benchfmt.Value {
	var out []benchfmt.Value
	if r.VmHWMKiB > 0 { // -1: the peer could not read it
		out = append(out, benchfmt.Value{Value: float64(r.VmHWMKiB) * 1024, Unit: units.PeakRSS})
	}
	if h := r.Hiccup; h != nil {
		out = append(out, benchfmt.Value{Value: float64(h.P99Ns), Unit: units.HiccupP99}, benchfmt.Value{Value: float64(h.MaxNs), Unit: units.HiccupMax},
			benchfmt.Value{Value: float64(h.P999Ns), Unit: units.HiccupP999})
	}
	if g := r.Go; g != nil {
		out = append(out, benchfmt.Value{Value: float64(g.GCPauses), Unit: units.GCPauses},
			benchfmt.Value{Value: float64(g.GCPauseMaxNs), Unit: units.GCPauseMax},
			benchfmt.Value{Value: float64(g.GCPauseTotalNs), Unit: units.GCTotal})
	}
	out = append(out, r.footprintValues()...)
	return append(out, r.allocValues()...)
}

// allocValues are the optional allocation and phase figures, per operation: bytes allocated,
// and the json workload's decode and encode phases (their time and allocations).
func (r Result) allocValues() []benchfmt.Value {
	n := float64(max(1, r.Ops))
	var out []benchfmt.Value
	if r.AllocBytes != nil {
		out = append(out, benchfmt.Value{Value: float64(*r.AllocBytes) / n, Unit: units.AllocPerOp})
	}
	for _, ph := range []struct{ name, ns, alloc string }{{"decode", units.DecodeNs, units.DecodeAlloc}, {"encode", units.EncodeNs, units.EncodeAlloc}} {
		if p := r.Phases[ph.name]; p != nil {
			out = append(out, benchfmt.Value{Value: float64(p.Ns) / n, Unit: ph.ns}, benchfmt.Value{Value: float64(p.AllocBytes) / n, Unit: ph.alloc})
		}
	}
	return out
}

// footprintValues are the per-task figures of the footprint workload's extra fields
// (PROTOCOL.md, workloads/README.md): RSS, spawn and join time, and Go's stack memory.
func (r Result) footprintValues() []benchfmt.Value {
	x, n := r.Extra, float64(r.Ops)
	if x == nil || n <= 0 {
		return nil
	}
	var out []benchfmt.Value
	if before, ok := x["rss_before_kib"]; ok {
		if parked, ok := x["rss_parked_kib"]; ok {
			out = append(out, benchfmt.Value{Value: (float64(parked) - float64(before)) * 1024 / n, Unit: units.RSSPerTask})
		}
	}
	if v, ok := x["spawn_ns"]; ok {
		out = append(out, benchfmt.Value{Value: float64(v) / n, Unit: units.SpawnPerTask})
	}
	if v, ok := x["join_ns"]; ok {
		out = append(out, benchfmt.Value{Value: float64(v) / n, Unit: units.JoinPerTask})
	}
	if before, ok := x["go_stacks_before_bytes"]; ok {
		if parked, ok := x["go_stacks_parked_bytes"]; ok {
			out = append(out, benchfmt.Value{Value: (float64(parked) - float64(before)) / n, Unit: units.StackPerTask})
		}
	}
	return out
}
