package claims

import (
	"fmt"

	"github.com/gorustbench/gorustbench/bench/stats"
	"github.com/gorustbench/gorustbench/bench/suite"
	"github.com/gorustbench/gorustbench/bench/units"
)

// The echo services, idiomatic and tuned, by language.
const (
	goIdiomatic, goTuned     = "go-std", "go-fasthttp"
	rustIdiomatic, rustTuned = "rust-axum", "rust-hyper"
)

// echoValues returns the samples of an echo implementation, if its case ended ok.
func (e *Evidence) echoValues(impl, sample, unit string) ([]float64, bool) {
	if !e.ok[suite.ServerCaseName(impl)] {
		return nil, false
	}
	v := e.Run.Values(sample, unit)
	return v, len(v) > 0
}

func (e *Evidence) echoSummary(impl, sample, unit string) (stats.Summary, bool) {
	v, ok := e.echoValues(impl, sample, unit)
	if !ok {
		return stats.Summary{}, false
	}
	return stats.Summarize(v), true
}

var (
	startupSample = suite.StartupName
	coldSample    = suite.ColdStartName
	loadSample    = suite.LoadName
)

// echoRange judges one implementation's echo measurement against [lo, hi).
func (e *Evidence) echoRange(label, impl, sample, unit string, lo, hi float64, format func(float64) string, what string) Part {
	s, ok := e.echoSummary(impl, sample, unit)
	if !ok {
		return notMeasured(label, e.caseReason(suite.ServerCaseName(impl)))
	}
	return Part{Name: label, Verdict: inRange(s, lo, hi), Basis: fmt.Sprintf("%s %s %s", impl, what, describe(s, format))}
}

func (e *Evidence) hasEcho() bool {
	return e.ok[suite.ServerCaseName(goIdiomatic)] || e.ok[suite.ServerCaseName(rustIdiomatic)]
}

func evalStartupServiceEcho(e *Evidence) Verdict {
	v := combine(
		e.echoRange("Go service in tens of ms", goIdiomatic, startupSample(goIdiomatic), units.First200, 10e6, 100e6, units.Duration, "exec to first 200"),
		e.echoRange("Rust service in ms", rustIdiomatic, startupSample(rustIdiomatic), units.First200, 0, 10e6, units.Duration, "exec to first 200"),
	)
	v.Basis += "; warm page cache; the echo service is small, so this bounds a 'medium service' from below"
	return v
}

func evalStartupServerless(e *Evidence) Verdict {
	if !e.hasEcho() {
		return Verdict{Verdict: NotMeasured, Basis: "the echo services did not run"}
	}
	// Cold starts (page cache dropped) where the run has them; warm ones otherwise, said so.
	sample, what, note := coldSample, "cold exec to first 200", "; cold: page cache dropped before each start"
	if _, ok := e.echoValues(goIdiomatic, coldSample(goIdiomatic), units.First200); !ok {
		sample, what, note = startupSample, "warm exec to first 200", "; warm starts only: the page cache could not be dropped on this machine (see the notes)"
	}
	v := combine(
		e.echoRange("Go 10-100 ms", goIdiomatic, sample(goIdiomatic), units.First200, 10e6, 100e6, units.Duration, what),
		e.echoRange("Rust sub-millisecond", rustIdiomatic, sample(rustIdiomatic), units.First200, 0, 1e6, units.Duration, what),
	)
	v.Basis += note
	return v
}

// evalMemoryService judges idle RSS after READY and peak RSS (VmHWM) at the high load level,
// as CLAIMS.md measures it. When idle and loaded disagree the claim is inconclusive: the report
// does not say which it meant, and both numbers are shown.
func evalMemoryService(e *Evidence) Verdict {
	if !e.hasEcho() {
		return Verdict{Verdict: NotMeasured, Basis: "the echo services did not run"}
	}
	idle := combine(
		e.echoRange("Go 10-20 MB idle", goIdiomatic, startupSample(goIdiomatic), units.IdleRSS, 10e6, 20e6+1, units.Bytes, "idle RSS after READY"),
		e.echoRange("Rust 2-5 MB idle", rustIdiomatic, startupSample(rustIdiomatic), units.IdleRSS, 2e6, 5e6+1, units.Bytes, "idle RSS after READY"),
	)
	loaded := combine(
		e.echoRange("Go 10-20 MB under load", goIdiomatic, loadSample(goIdiomatic, "high"), units.PeakRSS, 10e6, 20e6+1, units.Bytes, "peak RSS at the high rate"),
		e.echoRange("Rust 2-5 MB under load", rustIdiomatic, loadSample(rustIdiomatic, "high"), units.PeakRSS, 2e6, 5e6+1, units.Bytes, "peak RSS at the high rate"),
	)
	v := Verdict{Verdict: idle.Verdict, Parts: append(idle.Parts, loaded.Parts...), Basis: idle.Basis + "; " + loaded.Basis}
	switch {
	case loaded.Verdict == NotMeasured:
	case idle.Verdict == NotMeasured:
		v.Verdict = loaded.Verdict
	case idle.Verdict != loaded.Verdict:
		v.Verdict = Inconclusive
		v.Basis += fmt.Sprintf("; idle says %s, under load %s", idle.Verdict, loaded.Verdict)
	}
	return v
}

func evalMemoryServerless(e *Evidence) Verdict {
	if !e.hasEcho() {
		return Verdict{Verdict: NotMeasured, Basis: "the echo services did not run"}
	}
	return combine(
		e.echoRange("Go 20 MB+", goIdiomatic, startupSample(goIdiomatic), units.IdleRSS, 20e6, 1e18, units.Bytes, "idle RSS after READY"),
		e.echoRange("Rust under 5 MB", rustIdiomatic, startupSample(rustIdiomatic), units.IdleRSS, 0, 5e6, units.Bytes, "idle RSS after READY"),
	)
}

// order judges "a is better than b" on one unit at one load level: holds if significant
// in that direction, contradicted if significant the other way, else inconclusive.
func (e *Evidence) order(label, a, b, rate, unit string, higherBetter bool, format func(float64) string) Part {
	av, aok := e.echoValues(a, loadSample(a, rate), unit)
	bv, bok := e.echoValues(b, loadSample(b, rate), unit)
	if !aok || !bok {
		return notMeasured(label, fmt.Sprintf("no %s samples at rate=%s for %s and %s", unit, rate, a, b))
	}
	as, bs := stats.Summarize(av), stats.Summarize(bv)
	cmp := stats.Compare(av, bv)
	verdict := Inconclusive
	if cmp.Significant {
		better := as.Center < bs.Center
		if higherBetter {
			better = !better
		}
		verdict = map[bool]string{true: Holds, false: Contradicted}[better]
	}
	basis := fmt.Sprintf("%s %s vs %s %s, %s", a, describe(as, format), b, describe(bs, format), cmp)
	if lim := e.limited(a, rate) + e.limited(b, rate); lim > 0 && verdict != Inconclusive {
		verdict = Inconclusive
		basis += fmt.Sprintf("; the load generator may have set the pace in %d of these windows, so the servers' own limits are not shown", lim)
	}
	return Part{Name: label, Verdict: verdict, Basis: basis}
}

func (e *Evidence) limited(impl, rate string) int {
	n := 0
	for _, v := range e.Run.Values(loadSample(impl, rate), units.Limited) {
		if v > 0 {
			n++
		}
	}
	return n
}

func perSecond(v float64) string { return fmt.Sprintf("%.4g req/s", v) }

func evalIOModel(e *Evidence) Verdict {
	if !e.hasEcho() {
		return Verdict{Verdict: NotMeasured, Basis: "the echo services did not run"}
	}
	v := combine(
		e.order("idiomatic (axum vs net/http)", rustIdiomatic, goIdiomatic, "max", units.Throughput, true, perSecond),
		e.order("tuned (hyper vs fasthttp)", rustTuned, goTuned, "max", units.Throughput, true, perSecond),
	)
	v.Basis += "; maximum throughput of a server on one CPU, closed loop"
	return v
}

func evalAPILoadEconomics(e *Evidence) Verdict {
	if !e.hasEcho() {
		return Verdict{Verdict: NotMeasured, Basis: "the echo services did not run"}
	}
	low := e.order("low traffic: Go costs no more", goIdiomatic, rustIdiomatic, "low", units.CPUPerReq, false, units.Duration)
	// "No more" also holds when there is no significant difference, but only with enough
	// samples for that to mean something (an interval on both sides) and a generator that kept up.
	if low.Verdict == Inconclusive && e.limited(goIdiomatic, "low")+e.limited(rustIdiomatic, "low") == 0 &&
		e.enough(goIdiomatic, rustIdiomatic, "low", units.CPUPerReq) {
		low.Verdict = Holds
	}
	high := e.order("peak: Rust saves resources", rustIdiomatic, goIdiomatic, "high", units.CPUPerReq, false, units.Duration)
	v := combine(low, high)
	v.Basis += "; server CPU per request (schedstat) at common fixed rates"
	return v
}

func evalRealtimeLatency(e *Evidence) Verdict {
	if !e.hasEcho() {
		return Verdict{Verdict: NotMeasured, Basis: "the echo services did not run"}
	}
	goMs := e.echoRange("Go meets millisecond targets", goIdiomatic, loadSample(goIdiomatic, "medium"), units.LatP999, 0, 1e6, units.Duration, "p99.9 (corrected) at the medium rate")
	rust := e.echoRange("Rust meets microsecond targets", rustIdiomatic, loadSample(rustIdiomatic, "medium"), units.LatP999, 0, 100e3, units.Duration, "p99.9 (corrected) at the medium rate")
	goUs := e.echoRange("Go does not", goIdiomatic, loadSample(goIdiomatic, "medium"), units.LatP999, 100e3, 1e18, units.Duration, "p99.9 (corrected) at the medium rate")
	return combine(goMs, rust, goUs)
}

func evalGCPauses(e *Evidence) Verdict {
	var worst float64
	n := 0
	for _, impl := range []string{goIdiomatic, goTuned} {
		for _, rate := range []string{"max", "low", "medium", "high"} {
			vals, ok := e.echoValues(impl, loadSample(impl, rate), units.GCPauseMax)
			if !ok {
				continue
			}
			for _, v := range vals {
				worst = max(worst, v)
				n++
			}
		}
	}
	if n == 0 {
		return Verdict{Verdict: NotMeasured, Basis: "no Go echo server ran under load"}
	}
	verdict := Holds
	if worst >= 1e6 {
		verdict = Contradicted
	}
	basis := fmt.Sprintf("worst Go stop-the-world pause in %d server runs under load: %s (upper bucket bound of runtime/metrics /sched/pauses/total/gc:seconds)", n, units.Duration(worst))
	var hiccups []string
	for _, impl := range []string{goIdiomatic, rustIdiomatic} {
		if s, ok := e.echoSummary(impl, loadSample(impl, "high"), units.HiccupMax); ok {
			hiccups = append(hiccups, fmt.Sprintf("%s worst hiccup at the high rate %s", impl, describe(s, units.Duration)))
		}
	}
	for _, h := range hiccups {
		basis += "; " + h
	}
	return Verdict{Verdict: verdict, Basis: basis}
}

// enough reports whether both implementations have an interval at that load level.
func (e *Evidence) enough(a, b, rate, unit string) bool {
	for _, impl := range []string{a, b} {
		s, ok := e.echoSummary(impl, loadSample(impl, rate), unit)
		if !ok || !s.HasInterval() {
			return false
		}
	}
	return true
}
