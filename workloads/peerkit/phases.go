package peerkit

import (
	"runtime/metrics"
	"strconv"
	"time"
)

// Phase is one named part of a timed region (PROTOCOL.md, "phases"): its time and the
// bytes allocated on the heap during it.
type Phase struct {
	Name       string
	Ns         uint64
	AllocBytes uint64
}

// SetPhases makes the result line report these phases, alloc_bytes as the sum of their
// allocations, and elapsed_ns as the sum of their times (the work between phases, such as
// reading counters, is not the workload's). Call it after End.
func (r *Region) SetPhases(phases ...Phase) {
	var ns, alloc uint64
	b := []byte(`,"alloc_bytes":`)
	for _, ph := range phases {
		ns += ph.Ns
		alloc += ph.AllocBytes
	}
	b = strconv.AppendUint(b, alloc, 10)
	b = append(b, `,"phases":{`...)
	for i, ph := range phases {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, ph.Name)
		b = append(b, `:{"ns":`...)
		b = strconv.AppendUint(b, ph.Ns, 10)
		b = append(b, `,"alloc_bytes":`...)
		b = strconv.AppendUint(b, ph.AllocBytes, 10)
		b = append(b, '}')
	}
	r.extra = append(b, '}')
	r.elapsed = time.Duration(ns)
}

// HeapAllocBytes is the Go runtime's cumulative count of bytes allocated on the heap
// (/gc/heap/allocs:bytes); the difference of two readings is what was allocated between.
func HeapAllocBytes() uint64 {
	s := [1]metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s[:])
	return s[0].Value.Uint64()
}
