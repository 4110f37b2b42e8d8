package report

import (
	"fmt"
	"slices"

	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/suite"
	"github.com/gorustbench/gorustbench/bench/summary"
	"github.com/gorustbench/gorustbench/bench/units"
)

// jsonSection writes decode and encode speed, allocations and peak memory per input byte for
// every library, shape and document size.
func jsonSection(p func(string, ...any), t *summary.Table) {
	keys := t.Keys(func(k key.Key) bool { return k.Bench == suite.JSON.Title })
	if len(keys) == 0 {
		return
	}
	type doc struct {
		shape string
		mib   int64
	}
	var docs []doc
	for _, k := range keys {
		if d := (doc{k.Shape, k.Size.V}); !slices.Contains(docs, d) {
			docs = append(docs, d)
		}
	}
	p("## JSON\n\n")
	p("Each peer decodes the whole document into typed structures, then encodes them back; the two phases are timed separately by the peer. MB/s = input bytes / phase time (decimal MB). Allocations are the bytes allocated in the phase (Go runtime/metrics; Rust the kit's counting allocator). Peak RSS per input byte is the peer's VmHWM over the document's size. Every library's checksum of the decoded data was checked against the others before timing, and each peer checks its own round trip.\n\n")
	for _, d := range docs {
		p("%s, %d MiB:\n\n| library | decode | encode | decode allocations | encode allocations | peak RSS | per input byte | n |\n|---|---|---|---|---|---|---|---|\n", d.shape, d.mib)
		for _, impl := range suite.JSON.Impls {
			k := key.Key{Bench: suite.JSON.Title, Impl: impl.ID(), Shape: d.shape, Size: key.N(d.mib)}
			c, ok := t.Cell(k, units.DecodeMBps)
			if !ok {
				if st := t.Case(k); st != nil && st.State != "ok" {
					p("| %s | %s: %s | | | | | | |\n", impl.ID(), st.State, cell(st.Reason))
				}
				continue
			}
			p("| %s%s | %s MB/s | %s MB/s | %s | %s | %s | %s | %d |\n", impl.ID(), partial(c), mbps(t, k, units.DecodeMBps), mbps(t, k, units.EncodeMBps),
				center(t, k, units.DecodeAlloc), center(t, k, units.EncodeAlloc), med(t, k, units.PeakRSS), center(t, k, units.RSSPerInput), len(c.Values))
		}
		p("\n")
	}
}

func mbps(t *summary.Table, k key.Key, unit string) string {
	c, ok := t.Cell(k, unit)
	if !ok {
		return ""
	}
	s := c.Summary
	if !s.HasInterval() {
		return fmt.Sprintf("%.0f", s.Center)
	}
	return fmt.Sprintf("%.0f [%.0f, %.0f]", s.Center, s.Lo, s.Hi)
}
