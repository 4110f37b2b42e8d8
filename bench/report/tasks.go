package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/suite"
	"github.com/gorustbench/gorustbench/bench/summary"
	"github.com/gorustbench/gorustbench/bench/units"
)

// fanout writes time per message and messages per second for every implementation at each
// fan-out shape.
func fanout(p func(string, ...any), t *summary.Table) {
	keys := t.Keys(func(k key.Key) bool { return k.Bench == suite.Fanout.Title })
	if len(keys) == 0 {
		return
	}
	type shape struct{ m, k, b, t int64 }
	var shapes []shape
	for _, k := range keys {
		s := shape{k.Size.V, k.Workers.V, k.Capacity.V, k.Threads.V}
		if !slices.Contains(shapes, s) {
			shapes = append(shapes, s)
		}
	}
	p("## Channel fan-out\n\n")
	p("One producer sends M numbers over a channel of capacity B to K workers, which send results over a second channel to one collector (workloads/README.md). Time per message (median and interval), messages per second from the median, CPU (user+sys) per message, which is the whole process's CPU (start-up and the warm-up fan-out included) over the timed messages, so an upper bound; every implementation's sum was checked against the harness's own before timing.\n\n")
	for _, s := range shapes {
		p("M=%d, K=%d workers, capacity B=%d, %d thread(s):\n\n| implementation | per message | messages/s | CPU per message | peak RSS |\n|---|---|---|---|---|\n", s.m, s.k, s.b, s.t)
		for _, impl := range suite.Fanout.Impls {
			k := key.Key{Bench: suite.Fanout.Title, Impl: impl.ID(), Size: key.N(s.m), Workers: key.N(s.k), Capacity: key.N(s.b), Threads: key.N(s.t)}
			c, ok := t.Cell(k, units.PerOp)
			if !ok {
				continue
			}
			rate := ""
			if c.Summary.Center > 0 {
				rate = strings.TrimSuffix(units.Rate(1e9/c.Summary.Center), " req/s") + "/s"
			}
			p("| %s%s | %s | %s | %s | %s |\n", impl.ID(), partial(c), med(t, k, units.PerOp), rate, center(t, k, units.CPUPerOp), med(t, k, units.PeakRSS))
		}
		p("\n")
	}
}

// footprint writes the cost of parked tasks: memory and time per task.
func footprint(p func(string, ...any), t *summary.Table) {
	keys := t.Keys(func(k key.Key) bool { return k.Bench == suite.Footprint.Title })
	if len(keys) == 0 {
		return
	}
	slices.SortStableFunc(keys, func(a, b key.Key) int { return strings.Compare(a.Impl, b.Impl) })
	p("## Parked tasks\n\n")
	p("N tasks each block on one shared signal; once all are parked the peer reads its RSS, then releases and joins them. RSS per task = (VmRSS parked - VmRSS before) / N; it includes each task's bookkeeping, and moves in 4 KiB pages (about ±1 B per task at N=100k). OS threads' kernel stacks are not in RSS.\n\n")
	p("| implementation | N | RSS per task | Go stack per goroutine | spawn per task | wake and join per task | exec to exit | peak RSS | n |\n|---|---|---|---|---|---|---|---|---|\n")
	for _, k := range keys {
		c, ok := t.Cell(k, units.RSSPerTask)
		if !ok {
			continue
		}
		p("| %s%s | %d | %s | %s | %s | %s | %s | %s | %d |\n", k.Impl, partial(c), k.Size.V, med(t, k, units.RSSPerTask), med(t, k, units.StackPerTask),
			med(t, k, units.SpawnPerTask), med(t, k, units.JoinPerTask), med(t, k, units.Exec), med(t, k, units.PeakRSS), len(c.Values))
	}
	p("\n")
}

// partial marks a row whose case did not end ok: its samples are evidence with a caveat.
func partial(c *summary.Cell) string {
	if c.Partial {
		return fmt.Sprintf(" (%s: partial)", c.State)
	}
	return ""
}
