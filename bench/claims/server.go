package claims

import (
	"fmt"

	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/peer"
	"github.com/gorustbench/gorustbench/bench/stats"
	"github.com/gorustbench/gorustbench/bench/suite"
	"github.com/gorustbench/gorustbench/bench/units"
)

// The echo services, idiomatic and tuned, by language.
const (
	goIdiomatic, goTuned     = "go-std", "go-fasthttp"
	rustIdiomatic, rustTuned = "rust-axum", "rust-hyper"
)

// echoKey names an echo implementation's case; its samples add a phase (Startup, AtLevel).
func echoKey(impl string) key.Key { return suite.Echo.Key(impl, peer.Params{}) }

// echoValues returns samples of an echo implementation, if its case ended ok.
func (e *Evidence) echoValues(k key.Key, unit string) ([]float64, bool) {
	v := e.T.Values(k, unit)
	return v, len(v) > 0
}

func (e *Evidence) echoSummary(k key.Key, unit string) (stats.Summary, bool) {
	return e.T.OK(k, unit)
}

// echoRange judges one implementation's echo measurement against [lo, hi).
func (e *Evidence) echoRange(label string, k key.Key, unit string, r Range, what string) Part {
	s, ok := e.echoSummary(k, unit)
	if !ok {
		return notMeasured(label, e.caseReason(k))
	}
	return Part{Name: label, Verdict: judge(s, r), Basis: fmt.Sprintf("%s %s %s", k.Impl, what, describe(s, func(v float64) string { return units.Format(unit, v) }))}
}

func (e *Evidence) hasEcho() bool {
	return e.ok(echoKey(goIdiomatic)) || e.ok(echoKey(rustIdiomatic))
}

func evalStartupServiceEcho(e *Evidence, c *Claim) Verdict {
	v := combine(
		e.echoRange("Go service in tens of ms", echoKey(goIdiomatic).Startup(false), units.First200, c.Range("go"), "exec to first 200"),
		e.echoRange("Rust service in ms", echoKey(rustIdiomatic).Startup(false), units.First200, c.Range("rust"), "exec to first 200"),
	)
	v.Basis += "; warm page cache; the echo service is small, so this bounds a 'medium service' from below"
	return v
}

func evalStartupServerless(e *Evidence, c *Claim) Verdict {
	if !e.hasEcho() {
		return Verdict{Verdict: NotMeasured, Basis: "the echo services did not run"}
	}
	// Cold starts (page cache dropped) where the run has them; warm ones otherwise, said so.
	cold, what, note := true, "cold exec to first 200", "; cold: page cache dropped before each start"
	if _, ok := e.echoValues(echoKey(goIdiomatic).Startup(true), units.First200); !ok {
		cold, what, note = false, "warm exec to first 200", "; warm starts only: the page cache could not be dropped on this machine (see the notes)"
	}
	v := combine(
		e.echoRange("Go 10-100 ms", echoKey(goIdiomatic).Startup(cold), units.First200, c.Range("go"), what),
		e.echoRange("Rust sub-millisecond", echoKey(rustIdiomatic).Startup(cold), units.First200, c.Range("rust"), what),
	)
	v.Basis += note
	return v
}

// evalMemoryService judges idle RSS after READY and peak RSS (VmHWM) at the high load level,
// as CLAIMS.md measures it. When idle and loaded disagree the claim is inconclusive: the report
// does not say which it meant, and both numbers are shown.
func evalMemoryService(e *Evidence, c *Claim) Verdict {
	if !e.hasEcho() {
		return Verdict{Verdict: NotMeasured, Basis: "the echo services did not run"}
	}
	idle := combine(
		e.echoRange("Go 10-20 MB idle", echoKey(goIdiomatic).Startup(false), units.IdleRSS, c.Range("go"), "idle RSS after READY"),
		e.echoRange("Rust 2-5 MB idle", echoKey(rustIdiomatic).Startup(false), units.IdleRSS, c.Range("rust"), "idle RSS after READY"),
	)
	loaded := combine(
		e.echoRange("Go 10-20 MB under load", echoKey(goIdiomatic).AtLevel(key.High), units.PeakRSS, c.Range("go"), "peak RSS at the high rate"),
		e.echoRange("Rust 2-5 MB under load", echoKey(rustIdiomatic).AtLevel(key.High), units.PeakRSS, c.Range("rust"), "peak RSS at the high rate"),
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

func evalMemoryServerless(e *Evidence, c *Claim) Verdict {
	if !e.hasEcho() {
		return Verdict{Verdict: NotMeasured, Basis: "the echo services did not run"}
	}
	return combine(
		e.echoRange("Go 20 MB+", echoKey(goIdiomatic).Startup(false), units.IdleRSS, c.Range("go"), "idle RSS after READY"),
		e.echoRange("Rust under 5 MB", echoKey(rustIdiomatic).Startup(false), units.IdleRSS, c.Range("rust"), "idle RSS after READY"),
	)
}

// order judges "a is better than b" on one unit at one load level: holds if significant
// in that direction, contradicted if significant the other way, else inconclusive.
func (e *Evidence) order(label, a, b string, rate key.Level, unit string, higherBetter bool, format func(float64) string) Part {
	av, aok := e.echoValues(echoKey(a).AtLevel(rate), unit)
	bv, bok := e.echoValues(echoKey(b).AtLevel(rate), unit)
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

func (e *Evidence) limited(impl string, rate key.Level) int {
	n := 0
	for _, v := range e.T.Values(echoKey(impl).AtLevel(rate), units.Limited) {
		if v > 0 {
			n++
		}
	}
	return n
}

func evalIOModel(e *Evidence, c *Claim) Verdict {
	if !e.hasEcho() {
		return Verdict{Verdict: NotMeasured, Basis: "the echo services did not run"}
	}
	v := combine(
		e.order("idiomatic (axum vs net/http)", rustIdiomatic, goIdiomatic, key.Max, units.Throughput, true, units.Rate),
		e.order("tuned (hyper vs fasthttp)", rustTuned, goTuned, key.Max, units.Throughput, true, units.Rate),
	)
	v.Basis += "; maximum throughput of a server on one CPU, closed loop"
	return v
}

func evalAPILoadEconomics(e *Evidence, c *Claim) Verdict {
	if !e.hasEcho() {
		return Verdict{Verdict: NotMeasured, Basis: "the echo services did not run"}
	}
	low := e.order("low traffic: Go costs no more", goIdiomatic, rustIdiomatic, key.Low, units.CPUPerReq, false, units.Duration)
	// "No more" also holds when there is no significant difference, but only with enough
	// samples for that to mean something (an interval on both sides) and a generator that kept up.
	if low.Verdict == Inconclusive && e.limited(goIdiomatic, key.Low)+e.limited(rustIdiomatic, key.Low) == 0 &&
		e.enough(goIdiomatic, rustIdiomatic, key.Low, units.CPUPerReq) {
		low.Verdict = Holds
	}
	high := e.order("peak: Rust saves resources", rustIdiomatic, goIdiomatic, key.High, units.CPUPerReq, false, units.Duration)
	v := combine(low, high)
	v.Basis += "; server CPU per request (schedstat) at common fixed rates"
	return v
}

func evalRealtimeLatency(e *Evidence, c *Claim) Verdict {
	if !e.hasEcho() {
		return Verdict{Verdict: NotMeasured, Basis: "the echo services did not run"}
	}
	what := "p99.9 (corrected) at the medium rate"
	goMs := e.echoRange("Go meets millisecond targets", echoKey(goIdiomatic).AtLevel(key.Medium), units.LatP999, c.Range("go"), what)
	rust := e.echoRange("Rust meets microsecond targets", echoKey(rustIdiomatic).AtLevel(key.Medium), units.LatP999, c.Range("rust"), what)
	goUs := e.echoRange("Go does not", echoKey(goIdiomatic).AtLevel(key.Medium), units.LatP999, c.Range("go-not-us"), what)
	return combine(goMs, rust, goUs)
}

func evalGCPauses(e *Evidence, c *Claim) Verdict {
	var worst float64
	n := 0
	for _, impl := range []string{goIdiomatic, goTuned} {
		for _, rate := range key.Levels {
			vals, ok := e.echoValues(echoKey(impl).AtLevel(rate), units.GCPauseMax)
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
	if worst >= c.Range("go").Hi {
		verdict = Contradicted
	}
	basis := fmt.Sprintf("worst Go stop-the-world pause in %d server runs under load: %s (upper bucket bound of runtime/metrics /sched/pauses/total/gc:seconds)", n, units.Duration(worst))
	var hiccups []string
	for _, impl := range []string{goIdiomatic, rustIdiomatic} {
		if s, ok := e.echoSummary(echoKey(impl).AtLevel(key.High), units.HiccupMax); ok {
			hiccups = append(hiccups, fmt.Sprintf("%s worst hiccup at the high rate %s", impl, describe(s, units.Duration)))
		}
	}
	for _, h := range hiccups {
		basis += "; " + h
	}
	return Verdict{Verdict: verdict, Basis: basis}
}

// enough reports whether both implementations have an interval at that load level.
func (e *Evidence) enough(a, b string, rate key.Level, unit string) bool {
	for _, impl := range []string{a, b} {
		s, ok := e.echoSummary(echoKey(impl).AtLevel(rate), unit)
		if !ok || !s.HasInterval() {
			return false
		}
	}
	return true
}
