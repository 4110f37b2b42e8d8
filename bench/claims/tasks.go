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
	for _, k := range e.footprintKeys("go-goroutine") {
		if e.ok(k) {
			okKeys = append(okKeys, k)
		}
	}
	if len(e.footprintKeys("go-goroutine")) == 0 {
		return Verdict{Verdict: NotMeasured, Basis: "the footprint workload did not run"}
	}
	size := notMeasured("about 2 KB per parked goroutine", "no goroutine footprint case ended ok")
	if len(okKeys) > 0 {
		// The largest N whose samples give an interval (the million runs once), else the largest.
		k := okKeys[len(okKeys)-1]
		for _, x := range okKeys {
			if s, ok := e.Summary(x, units.RSSPerTask); ok && s.HasInterval() {
				k = x
			}
		}
		size = e.judged("about 2 KB per parked goroutine", k, units.RSSPerTask, c.Range("go"), fmt.Sprintf("RSS grown per parked goroutine at N=%d", k.Size.V))
	}
	m := notMeasured("a million are practical", "no run of a million goroutines in this profile (the quick and full profiles have one)")
	for _, k := range e.footprintKeys("go-goroutine") {
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
	for _, impl := range []string{"go-goroutine", "rust-tokio", "rust-thread", "c-pthread"} {
		ks := e.footprintKeys(impl)
		if len(ks) == 0 {
			continue
		}
		k := ks[len(ks)-1]
		unit := units.RSSPerTask
		what := "RSS per task"
		if impl == "go-goroutine" {
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

// evalChannelThroughput: at every fan-out shape run (M, K, B, T matched), the faster of
// crossbeam and flume against Go's channels, by time per message. The claim holds where a
// majority of shapes hold and none contradicts; it is contradicted where a majority
// contradicts; else inconclusive. tokio and std channels and C's ring are shown, not judged.
func evalChannelThroughput(e *Evidence, c *Claim) Verdict {
	goKeys := e.T.Keys(func(k key.Key) bool { return k.Bench == suite.Fanout.Title && k.Impl == "go-chan" })
	if len(goKeys) == 0 {
		return Verdict{Verdict: NotMeasured, Basis: "the fan-out workload did not run"}
	}
	var parts []Part
	for _, g := range goKeys {
		shape := fmt.Sprintf("M=%d K=%d B=%d T=%d", g.Size.V, g.Workers.V, g.Capacity.V, g.Threads.V)
		best, bestNs := key.Key{}, 0.0
		for _, impl := range []string{"rust-crossbeam", "rust-flume"} {
			k := g
			k.Impl = impl
			if s, ok := e.Summary(k, units.PerOp); ok && (bestNs == 0 || s.Center < bestNs) {
				best, bestNs = k, s.Center
			}
		}
		if bestNs == 0 {
			parts = append(parts, notMeasured(shape, "neither crossbeam nor flume ended ok at this shape"))
			continue
		}
		p := e.orderKeys(shape+": "+best.Impl+" vs go-chan, ns per message", best, g, units.PerOp)
		for _, impl := range []string{"rust-tokio", "rust-std", "c-pthread"} {
			k := g
			k.Impl = impl
			if s, ok := e.Summary(k, units.PerOp); ok {
				p.Basis += fmt.Sprintf("; %s %s", impl, units.Duration(s.Center))
			}
		}
		parts = append(parts, p)
	}
	return majority("shapes", parts)
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
