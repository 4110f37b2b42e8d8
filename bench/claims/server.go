package claims

import (
	"fmt"
	"math"
	"runtime/metrics"
	"sync"

	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/peer"
	"github.com/gorustbench/gorustbench/bench/stats"
	"github.com/gorustbench/gorustbench/bench/suite"
	"github.com/gorustbench/gorustbench/bench/units"
)

// The idiomatic echo services, by language (the claims judged on one pairing use them).
const (
	goIdiomatic, rustIdiomatic = suite.GoStd, suite.RustAxum
)

// floorMargin is how far above the instrument's floor a threshold must lie to be judged, for
// the claims judged against a floor (Thresholds.FloorMargin): a threshold within twice the
// floor's upper end is below what the machine resolves.
const floorMargin = 2

// echoKey names an echo implementation's case; its samples add a phase (Startup, AtLevel).
func echoKey(impl string) key.Key { return suite.Echo.Key(impl, peer.Params{}) }

// helloKey names a hello implementation's case.
func helloKey(impl string) key.Key { return suite.Hello.Key(impl, peer.Params{}) }

// judged judges k in unit against a range; not measured (with the case's reason) without samples.
func (e *Evidence) judged(label string, k key.Key, unit string, r Range, what string) Part {
	s, ok := e.Summary(k, unit)
	if !ok {
		return notMeasured(label, e.caseReason(k))
	}
	return decidable(rests(Part{Name: label, Verdict: judge(s, r), Basis: fmt.Sprintf("%s %s %s", k.Impl, what, describe(s, fmtOf(unit)))}, k), s, r)
}

// bounded judges a measurement that is a lower bound of what the claim is about: it can only
// contradict a range it lies entirely above. Below or inside the range it says nothing, and
// the part is informative.
func (e *Evidence) bounded(label string, k key.Key, unit string, r Range, what string) Part {
	p := e.judged(label, k, unit, r, what+" (a lower bound)")
	if p.Verdict == NotMeasured {
		return p
	}
	s, _ := e.Summary(k, unit)
	if s.HasInterval() && s.Lo >= r.Hi {
		return p // even the lower bound lies above the claimed range
	}
	p.Verdict = Inconclusive
	return informs(p)
}

// underFloor reports why a threshold cannot be judged on this machine: the floor summary's
// upper end times floorMargin reaches it. "" when the threshold can be judged.
func underFloor(threshold float64, floor stats.Summary, margin float64, floorWhat string, unit string) string {
	if !floor.HasInterval() {
		return fmt.Sprintf("the instrument's floor (%s) has no interval, so a threshold of %s cannot be checked against it", floorWhat, units.Format(unit, threshold))
	}
	if threshold <= margin*floor.Hi {
		return fmt.Sprintf("a threshold of %s lies within %gx of this machine's floor (%s: %s), below what it resolves",
			units.Format(unit, threshold), margin, floorWhat, describe(floor, fmtOf(unit)))
	}
	return ""
}

func fmtOf(unit string) func(float64) string {
	return func(v float64) string { return units.Format(unit, v) }
}

func (e *Evidence) hasEcho() bool {
	return e.ok(echoKey(goIdiomatic)) || e.ok(echoKey(rustIdiomatic))
}

// ratioPart judges the paired ratio a/b (samples taken in the same interleaved rounds)
// against r.
func (e *Evidence) ratioPart(label string, a, b key.Key, unit string, r Range, what string) Part {
	av, bv := e.T.Values(a, unit), e.T.Values(b, unit)
	if len(av) == 0 || len(bv) == 0 {
		for _, k := range []key.Key{a, b} {
			if len(e.T.Values(k, unit)) == 0 {
				return notMeasured(label, e.caseReason(k))
			}
		}
	}
	ratio := stats.PairedRatioAt(av, bv, e.T.Level(a, b))
	return decidable(rests(Part{Name: label, Verdict: ratioRange(ratio, r), Basis: fmt.Sprintf("%s: %s / %s = %s", what, a.Impl, b.Impl, ratioText(ratio))}, a, b), ratio.Summary(), r)
}

// startup-service: the echo service's exec-to-first-200 is a lower bound for the report's
// "medium service", so the absolute parts can only contradict; the claim is decided on the
// ordering and its size, Go's start divided by Rust's.
func evalStartupService(e *Evidence, c *Claim) Verdict {
	v := acrossPairings(c, func(p Pairing) (Verdict, string) {
		startup := func(i string) key.Key { return echoKey(i).Startup(false) }
		goK, rustK, unit, what := startup(e.echoPickBy(p.Go, startup, units.First200)), startup(e.echoPickBy(p.Rust, startup, units.First200)), units.First200, "exec to first 200"
		if !e.hasEcho() {
			goK, rustK, unit, what = helloKey(suite.GoStd), helloKey(suite.RustStd), units.Exec, "hello exec to exit"
		}
		return combine(
			e.ratioPart(c.Range("go/rust").PartLabel(), goK, rustK, unit, c.Range("go/rust"), what),
			e.bounded(c.Range("go").PartLabel(), goK, unit, c.Range("go"), what),
			e.bounded(c.Range("rust").PartLabel(), rustK, unit, c.Range("rust"), what),
		), goK.Impl + " vs " + rustK.Impl
	})
	v.Basis += "; warm page cache; the services here are small, so their start-up bounds a 'medium service' from below"
	return v
}

// startup-serverless: Go's cold start against 10-100 ms, as a lower bound (the echo service is
// the smallest function); Rust's sub-millisecond start, judged against the machine's floor for
// starting any process (the C hello) measured in the same page-cache state; and line 2021's
// ordering, Rust's cold start beating Go's. Without cold starts, the cold parts are not
// measured: a warm start is not a cold one.
func evalStartupServerless(e *Evidence, c *Claim) Verdict {
	if !e.hasEcho() {
		return Verdict{Verdict: NotMeasured, Basis: "the echo services did not run"}
	}
	rg, rr, ro := c.Range("go"), c.Range("rust"), c.Range("go/rust")
	goCold, rustCold := echoKey(goIdiomatic).Startup(true), echoKey(rustIdiomatic).Startup(true)
	const what = "cold exec to first 200"
	_, haveCold := e.Summary(goCold, units.First200)
	noCold := "no cold starts in this run: the page cache could not be dropped on this machine (see the notes), and a warm start is not a cold one"
	goPart, order := notMeasured(rg.PartLabel(), noCold), notMeasured(ro.PartLabel(), noCold)
	note := "; cold: the page cache dropped before each start, so cold times include reading the binary and its libraries from disk"
	if haveCold {
		goPart = e.bounded(rg.PartLabel(), goCold, units.First200, rg, what)
		order = e.ratioPart(ro.PartLabel(), goCold, rustCold, units.First200, ro, what)
	} else {
		note = "; warm starts only: the page cache could not be dropped on this machine"
	}
	// The only floor measured is warm (the C hello, exec to exit), so Rust is judged on its warm
	// start against it; its cold start is cited beside.
	rust := e.judged(rr.PartLabel(), echoKey(rustIdiomatic).Startup(false), units.First200, rr, "warm exec to first 200")
	floor, ok := e.Summary(helloKey(suite.CStd), units.Exec)
	switch {
	case !ok:
		rust = notMeasured(rust.Name, "the machine's floor (the C hello's exec to exit) was not measured, so a sub-millisecond threshold cannot be judged")
	case rust.Verdict != NotMeasured:
		rust.Basis += "; judged warm against a warm floor (no cold floor is measured)"
		if why := underFloor(rr.Hi, floor, c.FloorMargin, "C hello, exec to exit, warm", units.Exec); why != "" {
			rust.Undecided = false
			rust.Verdict, rust.Basis = Inconclusive, rust.Basis+"; "+why+"; the report's sub-millisecond figure is about isolates and WebAssembly on edge platforms (lines 1668-1672), which no native process reaches"
		}
	}
	parts := []Part{goPart, rust, order}
	if s, ok := e.Summary(rustCold, units.First200); ok {
		parts = append(parts, informs(Part{Name: "Rust cold start", Verdict: Inconclusive, Basis: "rust-axum " + what + " " + describe(s, units.Duration)}))
	}
	v := combine(parts...)
	v.Basis += note
	return v
}

// idleAndLoaded judges the two memory ranges idle (after READY) and at the high load level
// (peak RSS), as CLAIMS.md measures memory. When idle and loaded disagree the claim is
// inconclusive: the report does not say which it meant, and both are shown.
func (e *Evidence) idleAndLoaded(c *Claim) Verdict {
	return acrossPairings(c, func(p Pairing) (Verdict, string) {
		idle := func(i string) key.Key { return echoKey(i).Startup(false) }
		g, r := e.echoPickBy(p.Go, idle, units.IdleRSS), e.echoPickBy(p.Rust, idle, units.IdleRSS)
		return e.idleAndLoadedOf(c, g, r), g + " vs " + r
	})
}

// idleAndLoadedOf judges the two memory ranges on the Go server g and the Rust server r.
func (e *Evidence) idleAndLoadedOf(c *Claim, g, r string) Verdict {
	goLabel, rustLabel := c.Range("go").PartLabel(), c.Range("rust").PartLabel()
	idle := combine(
		e.judged(goLabel+" idle", echoKey(g).Startup(false), units.IdleRSS, c.Range("go"), "idle RSS after READY"),
		e.judged(rustLabel+" idle", echoKey(r).Startup(false), units.IdleRSS, c.Range("rust"), "idle RSS after READY"),
	)
	loaded := combine(
		e.judged(goLabel+" under load", echoKey(g).AtLevel(key.High), units.PeakRSS, c.Range("go"), "peak RSS at the high rate"),
		e.judged(rustLabel+" under load", echoKey(r).AtLevel(key.High), units.PeakRSS, c.Range("rust"), "peak RSS at the high rate"),
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

func evalMemoryService(e *Evidence, c *Claim) Verdict {
	if !e.hasEcho() {
		return Verdict{Verdict: NotMeasured, Basis: "the echo services did not run"}
	}
	return e.idleAndLoaded(c)
}

func evalMemoryServerless(e *Evidence, c *Claim) Verdict {
	if !e.hasEcho() {
		return Verdict{Verdict: NotMeasured, Basis: "the echo services did not run"}
	}
	return e.idleAndLoaded(c)
}

// orderKeys judges "a is better than b" in unit: holds if significant in that direction,
// contradicted if significant the other way, else inconclusive (no difference is not
// evidence of one).
func (e *Evidence) orderKeys(label string, a, b key.Key, unit string) Part {
	av, bv := e.T.Values(a, unit), e.T.Values(b, unit)
	for _, k := range []key.Key{a, b} {
		if len(e.T.Values(k, unit)) == 0 {
			return notMeasured(label, fmt.Sprintf("no %s samples of %s: %s", unit, k, e.caseReason(k)))
		}
	}
	higherBetter := false
	if u, ok := units.Lookup(unit); ok && u.Better == units.Higher {
		higherBetter = true
	}
	level := e.T.Level(a, b)
	as, bs := stats.SummarizeAt(av, level), stats.SummarizeAt(bv, level)
	cmp := stats.CompareAt(av, bv, level)
	verdict := Inconclusive
	if cmp.Significant {
		better := as.Center < bs.Center
		if higherBetter {
			better = !better
		}
		verdict = map[bool]string{true: Holds, false: Contradicted}[better]
	}
	basis := fmt.Sprintf("%s %s vs %s %s, %s", a.Impl, describe(as, fmtOf(unit)), b.Impl, describe(bs, fmtOf(unit)), cmp)
	return rests(Part{Name: label, Verdict: verdict, Basis: basis}, a, b)
}

// order is orderKeys for two echo implementations at one load level; a window where the load
// generator may have set the pace cannot show the servers' own limits.
func (e *Evidence) order(label, a, b string, rate key.Level, unit string) Part {
	p := e.orderKeys(label, echoKey(a).AtLevel(rate), echoKey(b).AtLevel(rate), unit)
	if lim := e.limited(a, rate) + e.limited(b, rate); lim > 0 && (p.Verdict == Holds || p.Verdict == Contradicted) {
		p.Verdict, p.Undecided = Inconclusive, false
		p.Basis += fmt.Sprintf("; the load generator may have set the pace in %d of these windows, so the servers' own limits are not shown", lim)
	}
	return p
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

// echoPick is the implementation standing for one side of an echo pairing: its only one, or
// the fastest of several (highest median maximum throughput); the first when none has any.
func (e *Evidence) echoPick(ids []string) string {
	if len(ids) > 1 {
		if id, ok := e.bestOf(ids, func(i string) key.Key { return echoKey(i).AtLevel(key.Max) }, units.Throughput, true); ok {
			return id
		}
	}
	return ids[0]
}

// echoPickBy is the implementation standing for one side of an echo pairing by another
// measure: its only one, or the one with the lowest median of unit at keyOf (the leanest, the
// fastest to start); the first when none has any.
func (e *Evidence) echoPickBy(ids []string, keyOf func(string) key.Key, unit string) string {
	if len(ids) > 1 {
		if id, ok := e.bestOf(ids, keyOf, unit, higherIsBetter(unit)); ok {
			return id
		}
	}
	return ids[0]
}

func evalIOModel(e *Evidence, c *Claim) Verdict {
	if !e.hasEcho() {
		return Verdict{Verdict: NotMeasured, Basis: "the echo services did not run"}
	}
	v := acrossPairings(c, func(p Pairing) (Verdict, string) {
		g, r := e.echoPick(p.Go), e.echoPick(p.Rust)
		return combine(e.order("Rust's maximum throughput is higher", r, g, key.Max, units.Throughput)), g + " vs " + r
	})
	v.Basis += "; maximum throughput of a server on one CPU, closed loop"
	return v
}

// api-load-economics: on each pairing, the cost ratios at the low rate (Go / Rust: "Go costs no
// more") and near saturation (Rust / Go: "Rust saves"), CPU per request and peak RSS, paired
// by round.
func evalAPILoadEconomics(e *Evidence, c *Claim) Verdict {
	if !e.hasEcho() {
		return Verdict{Verdict: NotMeasured, Basis: "the echo services did not run"}
	}
	low, peak := c.Range("low go/rust"), c.Range("peak rust/go")
	cost := func(r Range, what string, a, b string, rate key.Level, unit string) Part {
		p := e.ratioPart(r.PartLabel()+" ("+what+")", echoKey(a).AtLevel(rate), echoKey(b).AtLevel(rate), unit, r, what+" at the "+string(rate)+" rate")
		if lim := e.limited(a, rate) + e.limited(b, rate); lim > 0 && (p.Verdict == Holds || p.Verdict == Contradicted) {
			p.Verdict, p.Undecided = Inconclusive, false
			p.Basis += fmt.Sprintf("; the load generator may have set the pace in %d of these windows, so the servers' own costs are not shown", lim)
		}
		return p
	}
	v := acrossPairings(c, func(p Pairing) (Verdict, string) {
		g, r := e.echoPick(p.Go), e.echoPick(p.Rust)
		return combine(
			cost(low, "CPU per request", g, r, key.Low, units.CPUPerReq),
			cost(low, "peak RSS", g, r, key.Low, units.PeakRSS),
			cost(peak, "CPU per request", r, g, key.High, units.CPUPerReq),
			cost(peak, "peak RSS", r, g, key.High, units.PeakRSS),
		), g + " vs " + r
	})
	v.Basis += "; server CPU per request (schedstat) and peak RSS at common fixed rates, in windows without the hiccup meter"
	return v
}

// latencyFloor is the worst of what the instruments themselves add at a load level: the load
// generator's schedule lag (p99.9), and the stalls of an idle CPU (the hiccup meter alone on
// the server's CPU, p99.9), when measured.
func (e *Evidence) latencyFloor(impls []string, rate key.Level) (stats.Summary, string, bool) {
	var all []float64
	for _, impl := range impls {
		all = append(all, e.T.Values(echoKey(impl).AtLevel(rate), units.LagP999)...)
	}
	all = append(all, e.T.Values(suite.FloorKey, units.HiccupP999)...)
	if len(all) == 0 {
		return stats.Summary{}, "", false
	}
	return stats.Summarize(all), "load generator schedule lag and idle-CPU stalls, p99.9", true
}

func evalRealtimeLatency(e *Evidence, c *Claim) Verdict {
	if !e.hasEcho() {
		return Verdict{Verdict: NotMeasured, Basis: "the echo services did not run"}
	}
	what := "p99.9 (corrected) at the medium rate"
	floor, floorWhat, haveFloor := e.latencyFloor([]string{goIdiomatic, rustIdiomatic, suite.GoFastHTTP, suite.RustHyper}, key.Medium)
	part := func(impl, rng string) Part {
		r := c.Range(rng)
		label := r.PartLabel()
		p := e.judged(label, echoKey(impl).AtLevel(key.Medium), units.LatP999, r, what)
		if p.Verdict == NotMeasured {
			return p
		}
		threshold := r.Hi
		if math.IsInf(threshold, 1) {
			threshold = r.Lo
		}
		if !haveFloor {
			p.Undecided = false
			p.Verdict, p.Basis = Inconclusive, p.Basis+"; the instrument's floor was not measured in this run, so no threshold can be judged"
		} else if why := underFloor(threshold, floor, c.FloorMargin, floorWhat, units.LatP999); why != "" {
			p.Undecided = false
			p.Verdict, p.Basis = Inconclusive, p.Basis+"; "+why
		}
		if lim := e.limited(impl, key.Medium); lim > 0 && p.Verdict != Inconclusive {
			p.Undecided = false
			p.Verdict, p.Basis = Inconclusive, p.Basis+fmt.Sprintf("; the load generator may have set the pace in %d of these windows", lim)
		}
		return p
	}
	return acrossPairings(c, func(p Pairing) (Verdict, string) {
		medium := func(i string) key.Key { return echoKey(i).AtLevel(key.Medium) }
		g, r := e.echoPickBy(p.Go, medium, units.LatP999), e.echoPickBy(p.Rust, medium, units.LatP999)
		return combine(part(g, "go"), part(r, "rust"), part(g, "go-not-us")), g + " vs " + r
	})
}

// gcPauseBuckets are the boundaries, in ns, of the Go runtime's stop-the-world pause
// histogram, read from this process's runtime/metrics: every time histogram of a Go release
// shares one layout (four sub-buckets per power of two), and the Go peers are built by the
// toolchain that builds the harness. The outer boundaries may be infinite.
var gcPauseBuckets = sync.OnceValue(func() []float64 {
	s := []metrics.Sample{{Name: "/sched/pauses/total/gc:seconds"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindFloat64Histogram {
		return nil
	}
	var out []float64
	for _, b := range s[0].Value.Float64Histogram().Buckets {
		out = append(out, b*1e9)
	}
	return out
})

// gcPauseLowerBound is the least the worst pause can have been. A Go peer reports the upper
// boundary of the pause's histogram bucket (truncated to whole ns), so the pause lasted more
// than the bucket's lower boundary, at least 0.8x the upper; a value that is no boundary (an
// exact pause from debug.ReadGCStats) is bounded by the largest boundary at or below it.
func gcPauseLowerBound(upper float64) float64 {
	b := gcPauseBuckets()
	for i := 1; i < len(b); i++ {
		if math.Abs(b[i]-upper) <= 1 {
			return max(0, b[i-1])
		}
	}
	lo := 0.0
	for _, x := range b {
		if x <= upper && !math.IsInf(x, 0) {
			lo = x
		}
	}
	return lo
}

// evalGCPauses: the worst Go pause of every run with a Go runtime (servers under load and
// batch workloads). Its value is a bucket's upper bound: holds if that is under 1 ms,
// contradicted only if the bucket's lower bound is at or above it.
func evalGCPauses(e *Evidence, c *Claim) Verdict {
	var worst float64
	runs, withGC := 0, 0
	for _, k := range e.T.Keys(func(k key.Key) bool { return k.Language() == "go" }) {
		maxes := e.T.Values(k, units.GCPauseMax)
		counts := e.T.Values(k, units.GCPauses)
		for i, v := range maxes {
			runs++
			if (i < len(counts) && counts[i] > 0) || (len(counts) == 0 && v > 0) {
				withGC++
				worst = max(worst, v)
			}
		}
	}
	if runs == 0 {
		return Verdict{Verdict: NotMeasured, Basis: "no Go peer reported its GC pauses in this run"}
	}
	if withGC == 0 {
		return Verdict{Verdict: Inconclusive, Basis: fmt.Sprintf("no GC cycle ran in any of %d Go runs, so no pause was seen", runs)}
	}
	limit := c.Range("go").Hi
	// The machine's own stalls: the worst lateness of a hiccup meter in a runtime without a
	// GC (Rust, C) in this run. A stop-the-world pause also lasts while the host deschedules
	// the process, so a pause no longer than the host's stalls cannot be told from one.
	hostStall := 0.0
	for _, k := range e.T.Keys(func(k key.Key) bool { return k.Language() == "rust" || k.Language() == "c" }) {
		for _, v := range e.T.Values(k, units.HiccupMax) {
			hostStall = max(hostStall, v)
		}
	}
	verdict := Inconclusive
	switch {
	case worst < limit:
		verdict = Holds
	case gcPauseLowerBound(worst) >= limit && gcPauseLowerBound(worst) > hostStall:
		verdict = Contradicted
	}
	basis := fmt.Sprintf("worst Go stop-the-world pause in %d runs with a GC cycle (of %d Go runs): at most %s, at least %s (runtime/metrics /sched/pauses/total/gc:seconds reports the upper bound of its bucket)",
		withGC, runs, units.Duration(worst), units.Duration(gcPauseLowerBound(worst)))
	if hostStall > 0 {
		basis += fmt.Sprintf("; this machine stalled a process with no GC for up to %s (hiccup meter in Rust and C peers)", units.Duration(hostStall))
		if verdict == Inconclusive && gcPauseLowerBound(worst) >= limit {
			basis += ", so a pause this long may be the host's, not the collector's"
		}
	}
	for _, impl := range []string{goIdiomatic, rustIdiomatic} {
		if s, ok := e.Summary(echoKey(impl).AtLevel(key.Stalls), units.HiccupMax); ok {
			basis += fmt.Sprintf("; %s worst hiccup per window under load (the stalls window) %s", impl, describe(s, units.Duration))
		}
	}
	return Verdict{Verdict: verdict, Basis: basis}
}

// evalPredictability (lines 2011, 724, 2020): without GC pauses, Rust's latency is more
// predictable. Decided on the stalls a server's hiccup meter sees under load (p99 per stalls
// window, at the medium rate) and on the spread of its latency tail (p99.9 / p50) at the
// medium rate, in windows without the meter.
func evalPredictability(e *Evidence, c *Claim) Verdict {
	if !e.hasEcho() {
		return Verdict{Verdict: NotMeasured, Basis: "the echo services did not run"}
	}
	spread := func(impl string) []float64 {
		k := echoKey(impl).AtLevel(key.Medium)
		tail, mid := e.T.Values(k, units.LatP999), e.T.Values(k, units.LatP50)
		var out []float64
		for i := range min(len(tail), len(mid)) {
			if mid[i] > 0 {
				out = append(out, tail[i]/mid[i])
			}
		}
		return out
	}
	tailPart := func(label, a, b string) Part {
		av, bv := spread(a), spread(b)
		if len(av) == 0 || len(bv) == 0 {
			return notMeasured(label, "no latency samples at the medium rate for "+a+" and "+b)
		}
		level := e.T.Level(echoKey(a).AtLevel(key.Medium), echoKey(b).AtLevel(key.Medium))
		as, bs := stats.SummarizeAt(av, level), stats.SummarizeAt(bv, level)
		cmp := stats.CompareAt(av, bv, level)
		v := Inconclusive
		if cmp.Significant {
			v = map[bool]string{true: Holds, false: Contradicted}[as.Center < bs.Center]
		}
		return Part{Name: label, Verdict: v, Basis: fmt.Sprintf("p99.9/p50 at the medium rate: %s %s vs %s %s, %s", a, describe(as, units.Float), b, describe(bs, units.Float), cmp)}
	}
	return acrossPairings(c, func(p Pairing) (Verdict, string) {
		g, r := e.echoPick(p.Go), e.echoPick(p.Rust)
		return combine(
			e.order("stalls under load (hiccup p99)", r, g, key.Stalls, units.HiccupP99),
			tailPart("latency tail spread", r, g),
		), g + " vs " + r
	})
}
