package claims

import (
	"fmt"
	"slices"

	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/suite"
	"github.com/gorustbench/gorustbench/bench/units"
)

// million is the task count of "a million are practical".
const million = 1_000_000

// footprintKeys are the footprint cases of impl, those with samples and those the manifest
// lists without any (a run that failed), smallest N first.
func (e *Evidence) footprintKeys(impl string) []key.Key {
	match := func(k key.Key) bool { return k.Bench == suite.Footprint.Title && k.Impl == impl }
	ks := e.T.Keys(match)
	for _, c := range e.T.Run.Manifest.Cases {
		if k, err := key.Parse(c.Name); err == nil && match(k) && !slices.Contains(ks, k) {
			ks = append(ks, k)
		}
	}
	slices.SortFunc(ks, func(a, b key.Key) int { return int(a.Size.V - b.Size.V) })
	return ks
}

// evalGoroutineFootprint: RSS grown per parked goroutine at the largest N that ended ok, in
// "about 2 KB" (read as within a factor of two of 2 KiB); and a run of a million goroutines
// that ended ok. The runtime's own stack accounting (2048 bytes, its minimum stack) and the
// other languages' tasks are shown beside it.
func evalGoroutineFootprint(e *Evidence, c *Claim) Verdict {
	var okKeys []key.Key
	for _, k := range e.footprintKeys(suite.GoGoroutine) {
		if e.ok(k) {
			okKeys = append(okKeys, k)
		}
	}
	if len(e.footprintKeys(suite.GoGoroutine)) == 0 {
		return Verdict{Verdict: NotMeasured, Basis: "the footprint workload did not run"}
	}
	size := notMeasured(c.Range("go").PartLabel(), "no goroutine footprint case ended ok")
	if len(okKeys) > 0 {
		// The largest N whose samples give an interval (the million runs once), else the largest.
		k := okKeys[len(okKeys)-1]
		for _, x := range okKeys {
			if s, ok := e.Summary(x, units.RSSPerTask); ok && s.HasInterval() {
				k = x
			}
		}
		size = e.judged(c.Range("go").PartLabel(), k, units.RSSPerTask, c.Range("go"), fmt.Sprintf("RSS grown per parked goroutine at N=%d", k.Size.V))
	}
	m := notMeasured("a million are practical", "no run of a million goroutines in this profile (the quick and full profiles have one)")
	for _, k := range e.footprintKeys(suite.GoGoroutine) {
		if k.Size.V < million {
			continue
		}
		completed := len(e.T.Values(k, units.Exec))+len(e.T.Values(k, units.RSSPerTask)) > 0
		switch {
		case e.ok(k) && !completed:
			m = Part{Name: "a million are practical", Verdict: Inconclusive,
				Basis: e.caseReason(k) + "; the run's interruption cut it short before it completed once, which shows neither way"}
		case e.ok(k):
			s, _ := e.Summary(k, units.Exec)
			m = Part{Name: "a million are practical", Verdict: Holds, Basis: fmt.Sprintf("%d goroutines parked, woke and joined: exec to exit %s, peak RSS %s",
				k.Size.V, describe(s, units.Duration), summaryText(e, k, units.PeakRSS))}
		default:
			m = Part{Name: "a million are practical", Verdict: Contradicted, Basis: e.caseReason(k)}
		}
	}
	parts := []Part{size, m}
	for _, impl := range []string{suite.GoGoroutine, suite.RustTokio, suite.RustThread, suite.CPthread} {
		ks := e.footprintKeys(impl)
		if len(ks) == 0 {
			continue
		}
		k := ks[len(ks)-1]
		unit := units.RSSPerTask
		what := "RSS per task"
		if impl == suite.GoGoroutine {
			unit, what = units.StackPerTask, "Go runtime stack memory per goroutine (its minimum stack is exactly 2048 B)"
		}
		if s, ok := e.Summary(k, unit); ok {
			parts = append(parts, informs(Part{Name: fmt.Sprintf("%s at N=%d", impl, k.Size.V), Verdict: Inconclusive,
				Basis: what + " " + describe(s, units.Bytes)}))
		}
	}
	return combine(parts...)
}

func summaryText(e *Evidence, k key.Key, unit string) string {
	s, ok := e.Summary(k, unit)
	if !ok {
		return "not recorded"
	}
	return describe(s, fmtOf(unit))
}

// workersPerThread is the most workers per thread at which a fan-out shape measures the
// channels rather than the scheduler: with many more workers than CPUs, Rust's OS threads
// against Go's goroutines decide the time, not the queues.
const workersPerThread = 4

// evalChannelThroughput: on each pairing, at every fan-out shape run (M, K, B, T matched), the
// Rust side against the Go side by time per message (the fastest of several). A pairing holds
// where a majority of the shapes with at most workersPerThread workers per thread hold and
// none contradicts; it is contradicted where a majority contradicts; the other shapes are shown.
func evalChannelThroughput(e *Evidence, c *Claim) Verdict {
	goKeys := e.T.Keys(func(k key.Key) bool { return k.Bench == suite.Fanout.Title && k.Impl == suite.GoChan })
	if len(goKeys) == 0 {
		return Verdict{Verdict: NotMeasured, Basis: "the fan-out workload did not run"}
	}
	at := func(g key.Key, impl string) key.Key {
		g.Impl = impl
		return g
	}
	return acrossPairings(c, func(p Pairing) (Verdict, string) {
		var deciding, shown []Part
		for _, g := range goKeys {
			shape := fmt.Sprintf("M=%d K=%d B=%d T=%d", g.Size.V, g.Workers.V, g.Capacity.V, g.Threads.V)
			gi, ok1 := e.bestOf(p.Go, func(id string) key.Key { return at(g, id) }, units.PerOp, false)
			ri, ok2 := e.bestOf(p.Rust, func(id string) key.Key { return at(g, id) }, units.PerOp, false)
			var part Part
			if !ok1 || !ok2 {
				part = notMeasured(shape, "no implementation of one side ended ok at this shape")
			} else {
				part = e.orderKeys(shape+": "+ri+" vs "+gi+", ns per message", at(g, ri), at(g, gi), units.PerOp)
			}
			if g.Workers.V > workersPerThread*max(1, g.Threads.V) {
				part.Verdict, part.Basis = Inconclusive, part.Basis+fmt.Sprintf("; %d workers on %d thread(s) time OS threads against goroutines, not the queues: shown, not judged", g.Workers.V, g.Threads.V)
				shown = append(shown, informs(part))
				continue
			}
			deciding = append(deciding, part)
		}
		v := majority("shapes", deciding)
		if len(shown) > 0 {
			w := combine(shown...)
			v.Parts = append(v.Parts, shown...)
			v.Basis += "; " + w.Basis
		}
		return v, sides(p)
	})
}

// majority combines parts that each judge the same claim at another shape: the verdict a
// strict majority of the measured parts share, when it is holds or contradicted and no part
// says the opposite with significance; else inconclusive.
func majority(noun string, parts []Part) Verdict {
	v := combine(parts...)
	counts := map[string]int{}
	measured := 0
	for _, p := range parts {
		if p.Verdict != NotMeasured {
			measured++
			counts[p.Verdict]++
		}
	}
	switch {
	case measured == 0:
		v.Verdict = NotMeasured
	case 2*counts[Holds] > measured && counts[Contradicted] == 0:
		v.Verdict = Holds
	case 2*counts[Contradicted] > measured && counts[Holds] == 0:
		v.Verdict = Contradicted
	default:
		v.Verdict = Inconclusive
	}
	v.Basis = fmt.Sprintf("%d of %d %s hold, %d contradict; ", counts[Holds], measured, noun, counts[Contradicted]) + v.Basis
	return v
}
