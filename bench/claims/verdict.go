package claims

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/peer"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/stats"
	"github.com/gorustbench/gorustbench/bench/suite"
	"github.com/gorustbench/gorustbench/bench/summary"
	"github.com/gorustbench/gorustbench/bench/units"
)

// Verdict is a claim judged on one run. Basis cites the numbers (median, interval, n) it
// rests on; Machine says where they were measured.
type Verdict struct {
	Claim   string `json:"claim"`
	Verdict string `json:"verdict"`
	Basis   string `json:"basis"`
	Parts   []Part `json:"parts,omitempty"`
	Machine string `json:"machine"`
	// Partial marks a verdict that rests in part on samples of cases an interruption cut short.
	Partial bool `json:"partial,omitempty"`
	// Pairings are what each pairing of implementations (or build) the claim is judged on
	// says, in the claim's order; empty for a claim judged on one comparison.
	Pairings []PairingVerdict `json:"pairings,omitempty"`
}

// PairingVerdict is what one pairing says of a claim: "idiomatic" (go-std vs rust-serde):
// holds.
type PairingVerdict struct {
	Pairing string `json:"pairing"`
	Impls   string `json:"impls"` // what was compared: "go-std vs rust-serde"
	Verdict string `json:"verdict"`
}

// Part is one part of a claim ("Go does X; Rust does Y"). An informative part is shown with
// its own verdict but does not decide the claim (a lower bound, a figure below the
// instrument's floor, context a reader needs).
type Part struct {
	Name        string `json:"name"`
	Verdict     string `json:"verdict"`
	Basis       string `json:"basis"`
	Informative bool   `json:"informative,omitempty"`
	// Cases are what the part read, as more rounds would add to it: a case's name (its key
	// in samples.bench without phase), or for a server's warm start-ups only, the start-up
	// key (timed starts alone add to it).
	Cases []string `json:"cases,omitempty"`
	// Undecided marks an inconclusive part that more samples of its Cases could decide: its
	// interval straddles a threshold, or its ordering is not yet significant. A part below the
	// instrument's floor or paced by the load generator is inconclusive but not undecided, nor
	// one that reads cold starts (extra rounds take none).
	Undecided bool `json:"undecided,omitempty"`
}

// rests records what a part read and marks it undecided when it is inconclusive.
func rests(p Part, ks ...key.Key) Part {
	cold := false
	for _, k := range ks {
		name := k.Case().String()
		switch {
		case k.Phase == key.Startup && k.Cache == "":
			name = k.Startup(false).String()
		case k.Cache == key.Cold:
			cold = true
		}
		if !slices.Contains(p.Cases, name) {
			p.Cases = append(p.Cases, name)
		}
	}
	p.Undecided = p.Verdict == Inconclusive && !cold
	return p
}

// informs marks a part as informative.
func informs(p Part) Part {
	p.Informative = true
	return p
}

// Evidence is what a run offers the rules: its summary table (samples of cases that ended ok;
// samples of failed or skipped cases are never used) and the build record. The machine is
// the table's run's manifest (Verdict.Machine).
type Evidence struct {
	T     *summary.Table
	Build *results.Build
}

// Summary summarises k in unit; false if its case did not end ok or it has no samples.
func (e *Evidence) Summary(k key.Key, unit string) (stats.Summary, bool) { return e.T.OK(k, unit) }

// ok reports whether k's case ended ok, or was cut short by the run's interruption (its
// samples are then partial evidence, and the verdict says so).
func (e *Evidence) ok(k key.Key) bool {
	c := e.T.Case(k)
	return c != nil && (c.State == results.CaseOK || c.State == results.CaseInterrupted)
}

// caseReason says why a case has no evidence: its state and reason, or that it did not run.
func (e *Evidence) caseReason(k key.Key) string {
	name := k.Case().String()
	if c := e.T.Case(k); c != nil {
		if c.Reason != "" {
			return fmt.Sprintf("%s %s: %s", name, c.State, c.Reason)
		}
		return name + " " + c.State
	}
	return name + " did not run in this profile"
}

// Evaluate judges every claim of the registry on a run's summary.
func Evaluate(t *summary.Table) []Verdict {
	machine := t.Run.Manifest.Machine()
	var out []Verdict
	for _, c := range Registry {
		// Each claim reads through a view of its own, which counts its reads of partial
		// evidence.
		e := &Evidence{T: t.View(), Build: t.Run.Manifest.Build}
		var v Verdict
		if c.evaluate == nil {
			v = Verdict{Verdict: NotMeasured, Basis: c.pending}
		} else {
			v = c.evaluate(e, c)
		}
		if n := e.T.PartialReads(); n > 0 {
			v.Partial = true
			v.Basis += "; partial: it rests in part on cases the run's interruption cut short (fewer samples than planned)"
		}
		v.Claim, v.Machine = c.ID, machine
		v = checkCalibration(v, t.Run.Calibration)
		out = append(out, v)
	}
	return out
}

// combine joins parts. The deciding parts (all but the informative ones) combine so that
// every part of the claim must hold for it to hold: any contradicted part contradicts the
// claim; all holding parts make it hold; all unmeasured parts leave it unmeasured; anything
// else is inconclusive. Informative parts are cited and never decide.
func combine(parts ...Part) Verdict {
	counts := map[string]int{}
	deciding := 0
	var basis []string
	for _, p := range parts {
		if p.Informative {
			basis = append(basis, p.Name+" (informative, "+p.Verdict+"): "+p.Basis)
			continue
		}
		deciding++
		counts[p.Verdict]++
		basis = append(basis, p.Name+": "+p.Basis)
	}
	v := Verdict{Parts: parts, Basis: strings.Join(basis, "; ")}
	switch {
	case deciding == 0:
		v.Verdict = NotMeasured
	case counts[Contradicted] > 0:
		v.Verdict = Contradicted
	case counts[Holds] == deciding:
		v.Verdict = Holds
	case counts[NotMeasured] == deciding:
		v.Verdict = NotMeasured
	default:
		v.Verdict = Inconclusive
	}
	return v
}

// judge judges an interval against a claimed range (judgeRange).
func judge(s stats.Summary, r Range) string { return judgeRange(s, r) }

// describe cites a summary with its interval's actual confidence:
// "median 1.21 ms, 96.9% CI [1.18 ms, 1.25 ms], n=6".
func describe(s stats.Summary, format func(float64) string) string {
	if !s.HasInterval() {
		return fmt.Sprintf("median %s, no interval (n=%d; 6 samples give one)", format(s.Center), s.N)
	}
	return fmt.Sprintf("median %s, %s CI [%s, %s], n=%d", format(s.Center), pct(s.Confidence), format(s.Lo), format(s.Hi), s.N)
}

// pct prints a confidence level: "96.9%"; a level under 1 never prints as "100%" (99.961%).
func pct(c float64) string {
	p := 100 * c
	s := strconv.FormatFloat(p, 'g', 3, 64)
	for digits := 4; p < 100 && s == "100" && digits <= 8; digits++ {
		s = strconv.FormatFloat(p, 'g', digits, 64)
	}
	return s + "%"
}

// ratioText cites a ratio: "1.98 [1.64, 2.75] (96.9%, median of per-round ratios..., n=6)".
func ratioText(r stats.Ratio) string {
	if !r.HasInterval() {
		return fmt.Sprintf("%.3g (no interval, n=%d)", r.Center, r.N)
	}
	return fmt.Sprintf("%.3g [%.3g, %.3g] (%s, %s, n=%d)", r.Center, r.Lo, r.Hi, pct(r.Confidence), r.Method, r.N)
}

func ratioRange(r stats.Ratio, rg Range) string {
	return judge(r.Summary(), rg)
}

func notMeasured(name, why string) Part { return Part{Name: name, Verdict: NotMeasured, Basis: why} }

// --- the rules ---

// matmulKey names the matmul case of impl at size n with threads.
func matmulKey(impl string, n, threads int64) key.Key {
	return suite.Matmul.Key(impl, peer.Params{Size: n, Threads: threads})
}

// largestMatmul finds the largest size at which all the named implementations ended ok with
// the given thread count.
func (e *Evidence) largestMatmul(threads int64, impls ...string) (int64, bool) {
	sizes := e.matmulDim(func(k key.Key) int64 { return k.Size.V }, func(k key.Key) bool { return k.Threads.V == threads })
	slices.Reverse(sizes)
	for _, n := range sizes {
		all := true
		for _, impl := range impls {
			all = all && e.ok(matmulKey(impl, n, threads))
		}
		if all {
			return n, true
		}
	}
	return 0, false
}

// matmulThreads are the thread counts the run has matmul samples for, smallest first.
func (e *Evidence) matmulThreads() []int64 {
	return e.matmulDim(func(k key.Key) int64 { return k.Threads.V }, nil)
}

// matmulDim lists the distinct values of one parameter among the run's matmul keys, sorted.
func (e *Evidence) matmulDim(dim func(key.Key) int64, match func(key.Key) bool) []int64 {
	var out []int64
	for _, k := range e.T.Keys(func(k key.Key) bool { return k.Bench == suite.Matmul.Title && (match == nil || match(k)) }) {
		if v := dim(k); !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return out
}

// kernelRounds are, per kernel pair cpu-vs-c compares in build (KernelPairs), the per-round
// ratios C's time / lang's time; a line citing each kernel's median ratio; and the keys
// the ratios read.
func (e *Evidence) kernelRounds(build, lang string) (rounds [][]float64, cites []string, ks []key.Key) {
	for _, p := range KernelPairs(e.T, build, lang) {
		cv, lv := e.T.Values(p.C, units.PerOp), e.T.Values(p.Lang, units.PerOp)
		r := stats.Ratios(cv, lv)
		if len(r) == 0 {
			continue
		}
		rounds, ks = append(rounds, r), append(ks, p.C, p.Lang)
		cites = append(cites, fmt.Sprintf("%s %s", p.Name, ratioText(stats.PairedRatioAt(cv, lv, e.T.Level(p.C, p.Lang)))))
	}
	return rounds, cites, ks
}

// evalCPUvsC judges each language's speed relative to C on the geometric mean across the CPU
// kernels (and the naive matmul), on each build as a pairing: the ordinary one against C at
// -O2, the native one against C at -O3 -march=native. Builds that disagree make it depend.
func evalCPUvsC(e *Evidence, c *Claim) Verdict {
	v := acrossPairings(c, func(p Pairing) (Verdict, string) {
		var parts []Part
		for _, lang := range []string{"go", "rust"} {
			r := c.Range(lang)
			rounds, cites, ks := e.kernelRounds(p.Build, lang)
			if len(rounds) == 0 {
				parts = append(parts, notMeasured(r.PartLabel(), "no kernel ended ok in C and "+lang+" in this build (build it with 'make peers')"))
				continue
			}
			g := stats.GeoMeanAt(rounds, e.T.Level(ks...))
			parts = append(parts, decidable(rests(Part{Name: r.PartLabel(), Verdict: ratioRange(g, r),
				Basis: fmt.Sprintf("speed relative to C, geometric mean %s; per kernel: %s", ratioText(g), strings.Join(cites, "; "))}, ks...), g.Summary(), r))
		}
		return combine(parts...), ""
	})
	if p, ok := e.cBuilds(); ok {
		v.Parts = append(v.Parts, p)
		v.Basis += "; " + p.Name + " (informative): " + p.Basis
	}
	return v
}

// cBuilds compares C with itself across the builds: per kernel, C -O2's time / C -O3
// -march=native's, per interleaved round (both builds run in the same group), and their
// geometric mean: how much "C's speed" moves with the build. Informative.
func (e *Evidence) cBuilds() (Part, bool) {
	var rounds [][]float64
	var cites []string
	var ks []key.Key
	for _, p := range KernelPairs(e.T, "native", "c") {
		o := p.C
		o.Build = ""
		if !e.ok(o) {
			continue
		}
		ov, nv := e.T.Values(o, units.PerOp), e.T.Values(p.C, units.PerOp)
		if r := stats.Ratios(ov, nv); len(r) > 0 {
			rounds, ks = append(rounds, r), append(ks, o, p.C)
			cites = append(cites, p.Name+" "+ratioText(stats.PairedRatioAt(ov, nv, e.T.Level(o, p.C))))
		}
	}
	if len(rounds) == 0 {
		return Part{}, false
	}
	g := stats.GeoMeanAt(rounds, e.T.Level(ks...))
	return informs(Part{Name: "C -O3 -march=native against C -O2", Verdict: Inconclusive,
		Basis: fmt.Sprintf("C -O2 time / C native time, geometric mean %s; per kernel: %s", ratioText(g), strings.Join(cites, "; "))}), true
}

// matmulPick is the fastest of ids that ended ok at size n with threads; false if none did.
func (e *Evidence) matmulPick(ids []string, n, threads int64) (string, bool) {
	var ok []string
	for _, id := range ids {
		if e.ok(matmulKey(id, n, threads)) {
			ok = append(ok, id)
		}
	}
	return e.bestOf(ok, func(id string) key.Key { return matmulKey(id, n, threads) }, units.PerOp, false)
}

// evalNumeric (lines 572-573, 582, 590): on each pairing, at each thread count, the largest
// size where both sides ran: Rust significantly faster holds, Go significantly faster
// contradicts.
func evalNumeric(e *Evidence, c *Claim) Verdict {
	threads := e.matmulThreads()
	if len(threads) == 0 {
		return Verdict{Verdict: NotMeasured, Basis: "matmul did not run in this profile"}
	}
	return acrossPairings(c, func(p Pairing) (Verdict, string) {
		var parts []Part
		used := ""
		for _, t := range threads {
			label := fmt.Sprintf("%d thread(s)", t)
			var g, r string
			var n int64
			sizes := e.matmulDim(func(k key.Key) int64 { return k.Size.V }, func(k key.Key) bool { return k.Threads.V == t })
			for i := len(sizes) - 1; i >= 0 && n == 0; i-- {
				gi, ok1 := e.matmulPick(p.Go, sizes[i], t)
				ri, ok2 := e.matmulPick(p.Rust, sizes[i], t)
				if ok1 && ok2 {
					g, r, n = gi, ri, sizes[i]
				}
			}
			if n == 0 {
				parts = append(parts, notMeasured(label, "the two sides did not both end ok at any size"))
				continue
			}
			used = g + " vs " + r
			gk, rk := matmulKey(g, n, t), matmulKey(r, n, t)
			gs, ok1 := e.Summary(gk, units.PerOp)
			rs, ok2 := e.Summary(rk, units.PerOp)
			gf, ok3 := e.Summary(gk, units.GFLOPS)
			rf, ok4 := e.Summary(rk, units.GFLOPS)
			if !ok1 || !ok2 || !ok3 || !ok4 {
				parts = append(parts, notMeasured(label, fmt.Sprintf("%s or %s at n=%d has no time per operation or GFLOPS", g, r, n)))
				continue
			}
			cmp := stats.CompareAt(e.T.Values(gk, units.PerOp), e.T.Values(rk, units.PerOp), e.T.Level(gk, rk))
			verdict := Inconclusive
			if cmp.Significant {
				verdict = map[bool]string{true: Holds, false: Contradicted}[rs.Center < gs.Center]
			}
			parts = append(parts, rests(Part{Name: label, Verdict: verdict, Basis: fmt.Sprintf("n=%d: %s %.3g GFLOPS (%s), %s %.3g GFLOPS (%s), %s", n,
				g, gf.Center, describe(gs, units.Duration), r, rf.Center, describe(rs, units.Duration), cmp)}, gk, rk))
		}
		return combine(parts...), used
	})
}

func evalCompileSpeed(e *Evidence, c *Claim) Verdict {
	b := e.Build
	if b == nil {
		return Verdict{Verdict: NotMeasured, Basis: "no build record: run 'make peers' (gorustbench build) before the run"}
	}
	times := map[string]results.BuildLang{}
	for _, l := range b.Languages {
		if l.Error == "" && l.CleanNs > 0 {
			times[l.Lang] = l
		}
	}
	g, gok := times["go"]
	r, rok := times["rust"]
	if !gok || !rok {
		return Verdict{Verdict: NotMeasured, Basis: "the build record lacks clean timings for Go or Rust (built with --no-clean, or a build failed)"}
	}
	rg := c.Range("rust/go")
	// One build each: the ratio has no interval, so by the vocabulary it decides nothing. It is
	// judged as any interval would be, so repeated builds in the record would decide it.
	part := func(label string, gns, rns int64) Part {
		ratio := float64(rns) / float64(gns)
		s := stats.Summarize([]float64{ratio})
		where := "between the thresholds"
		switch {
		case rg.span().contains(ratio, ratio):
			where = "where the claim would hold"
		case rg.Contradicts[0].contains(ratio, ratio):
			where = "where the claim would be contradicted"
		}
		return Part{Name: label, Verdict: judge(s, rg), Basis: fmt.Sprintf("Rust %s / Go %s = %.3g, %s, but one build each gives no interval (n=1)",
			units.Duration(float64(rns)), units.Duration(float64(gns)), ratio, where)}
	}
	return combine(part("clean build", g.CleanNs, r.CleanNs), part("one file changed", g.RebuildNs, r.RebuildNs))
}

func evalBinarySize(e *Evidence, c *Claim) Verdict {
	b := e.Build
	if b == nil {
		return Verdict{Verdict: NotMeasured, Basis: "no build record: run 'make peers' (gorustbench build) before the run"}
	}
	hello := func(lang string, wasm bool) *results.BinaryRecord {
		for i, bin := range b.Binaries {
			if bin.Workload == suite.Hello.Name && bin.Lang == lang && (bin.Target != "") == wasm {
				return &b.Binaries[i]
			}
		}
		return nil
	}
	static, cgo := goStatic(b)
	parts := []Part{static}
	if cgo != nil {
		parts = append(parts, informs(*cgo))
	}
	wasm := helloSizes(c, "wasm sizes", "hello.wasm", hello("rust", true), hello("go", true),
		"no wasm hello in the build record: run 'make peers' (gorustbench build) with the wasm toolchains of scripts/setup.sh")
	native := helloSizes(c, "native sizes", "native hello", hello("rust", false), hello("go", false),
		"the Go or Rust hello binary is missing from the build record")
	return combine(append(parts, wasm, informs(native))...)
}

// goStatic judges "Go makes static binaries" on every native Go binary of the build: the
// pure-Go ones decide; the dynamic ones whose build uses cgo are named in a second, informative
// part (nil if there are none).
func goStatic(b *results.Build) (Part, *Part) {
	const name = "Go static"
	var static, bad, unknown, cgo []string
	for _, bin := range b.Binaries {
		if bin.Lang != "go" || bin.Target != "" || bin.NotBuilt != "" {
			continue
		}
		switch {
		case bin.Static:
			static = append(static, bin.Workload)
		case len(bin.CgoPackages) > 0:
			cgo = append(cgo, bin.Workload+": "+bin.Linkage)
		case bin.Linkage == "":
			unknown = append(unknown, bin.Workload)
		default:
			bad = append(bad, bin.Workload+": "+bin.Linkage)
		}
	}
	total := len(static) + len(bad) + len(unknown) + len(cgo)
	var cgoPart *Part
	if len(cgo) > 0 {
		cgoPart = &Part{Name: "Go static with cgo", Verdict: Contradicted,
			Basis: fmt.Sprintf("%d of %d Go peers use cgo and are dynamic: %s", len(cgo), total, strings.Join(cgo, "; "))}
	}
	p := Part{Name: name}
	switch {
	case total == 0:
		return notMeasured(name, "no Go binary in the build record"), nil
	case len(bad) > 0:
		p.Verdict, p.Basis = Contradicted, fmt.Sprintf("dynamic though no package of its build uses cgo: %s", strings.Join(bad, "; "))
	case len(unknown) > 0:
		p.Verdict, p.Basis = Inconclusive, fmt.Sprintf("dynamic, and the build record predates linkage details (rebuild with 'make peers'): %s", strings.Join(unknown, ", "))
	case len(static) == 0:
		return notMeasured(name, "every Go peer uses cgo, so none is a pure-Go program"), cgoPart
	default:
		p.Verdict, p.Basis = Holds, fmt.Sprintf("every Go peer without cgo has no ELF interpreter (%s)", strings.Join(static, ", "))
		if len(cgo) > 0 {
			p.Basis += "; it holds for programs that use no cgo, and a program importing net is dynamic by default when a C compiler is installed"
		}
	}
	return p, cgoPart
}

// helloSizes judges the stripped Rust and Go hello sizes against the claim's ranges.
func helloSizes(c *Claim, name, what string, rust, goBin *results.BinaryRecord, missing string) Part {
	if rust == nil || goBin == nil {
		return notMeasured(name, missing)
	}
	for _, bin := range []*results.BinaryRecord{rust, goBin} {
		if bin.NotBuilt != "" {
			return notMeasured(name, fmt.Sprintf("the %s %s was not built: %s", bin.Lang, what, bin.NotBuilt))
		}
		if bin.StrippedBytes <= 0 {
			return notMeasured(name, fmt.Sprintf("the %s %s has no stripped size: %s", bin.Lang, what, bin.Note))
		}
	}
	built := func(bin *results.BinaryRecord) string {
		s := units.Bytes(float64(bin.Bytes)) + " as built"
		if bin.Toolchain != "" {
			s += " by " + bin.Toolchain
		}
		return s
	}
	rv := judge(stats.Exact(float64(rust.StrippedBytes)), c.Range("rust"))
	gv := judge(stats.Exact(float64(goBin.StrippedBytes)), c.Range("go"))
	return combine(Part{Verdict: rv}, Part{Verdict: gv}).asPart(name, fmt.Sprintf("stripped %s: Rust %s (%s), Go %s (%s); ratio Go/Rust %.3g",
		what, units.Bytes(float64(rust.StrippedBytes)), built(rust), units.Bytes(float64(goBin.StrippedBytes)), built(goBin),
		float64(goBin.StrippedBytes)/float64(rust.StrippedBytes)))
}

func (v Verdict) asPart(name, basis string) Part {
	return Part{Name: name, Verdict: v.Verdict, Basis: basis}
}

// ffiKey names an FFI implementation's case.
func ffiKey(impl string) key.Key { return suite.FFI.Key(impl, peer.Params{Threads: 1}) }

// ffiRatio is the per-call time of a over b, paired by round, with a Mann-Whitney test.
func (e *Evidence) ffiRatio(label, a, b string) (stats.Ratio, stats.Comparison, string, bool) {
	for _, impl := range []string{a, b} {
		if !e.ok(ffiKey(impl)) {
			return stats.Ratio{}, stats.Comparison{}, e.caseReason(ffiKey(impl)), false
		}
	}
	av, bv := e.T.Values(ffiKey(a), units.PerOp), e.T.Values(ffiKey(b), units.PerOp)
	level := e.T.Level(ffiKey(a), ffiKey(b))
	as, bs := stats.SummarizeAt(av, level), stats.SummarizeAt(bv, level)
	r := stats.PairedRatioAt(av, bv, level)
	cmp := stats.CompareAt(av, bv, level)
	return r, cmp, fmt.Sprintf("%s %s per call vs %s %s; ratio %s, %s", a, describe(as, units.Duration), b, describe(bs, units.Duration), ratioText(r), cmp), true
}

func evalFFI(e *Evidence, c *Claim) Verdict {
	part := func(rangePart, name, ffi, plain string) Part {
		r, _, basis, ok := e.ffiRatio(name, ffi, plain)
		if !ok {
			return notMeasured(name, basis)
		}
		return decidable(rests(Part{Name: name, Verdict: ratioRange(r, c.Range(rangePart)), Basis: basis}, ffiKey(ffi), ffiKey(plain)), r.Summary(), c.Range(rangePart))
	}
	return combine(
		part("cgo/plain", "cgo has overhead", suite.GoCgo, suite.GoPlain),
		part("rust", "Rust FFI is free", suite.RustFFI, suite.RustPlain),
	)
}

// evalCgoLarge (line 1099): cgo's overhead is large, the cgo/plain ratio against the range.
func evalCgoLarge(e *Evidence, c *Claim) Verdict {
	const name = "cgo call / plain Go call"
	r, _, basis, ok := e.ffiRatio(name, suite.GoCgo, suite.GoPlain)
	if !ok {
		return combine(notMeasured(name, basis))
	}
	return combine(decidable(rests(Part{Name: name, Verdict: ratioRange(r, c.Range("cgo/plain")), Basis: basis}, ffiKey(suite.GoCgo), ffiKey(suite.GoPlain)), r.Summary(), c.Range("cgo/plain")))
}

// evalGoResources (lines 1617, 181): Go consumes more resources than C and Rust, judged on
// peak memory of the same programs in each language: the hello, the five CPU kernels
// (ordinary build, one thread) and the idle echo services (Go and Rust), decided by a
// majority of programs with none opposed. The matrix multiply is left out: its C binary links
// OpenBLAS for its other variant, whose start-up allocations would count against C.
func evalGoResources(e *Evidence, c *Claim) Verdict {
	parts := []Part{
		e.orderKeys("hello: C uses less memory than Go", helloKey(suite.CStd), helloKey(suite.GoStd), units.PeakRSS),
		e.orderKeys("hello: Rust uses less memory than Go", helloKey(suite.RustStd), helloKey(suite.GoStd), units.PeakRSS),
	}
	for _, w := range suite.Kernels {
		for _, k := range e.T.Keys(func(k key.Key) bool {
			return k.Bench == w.Title && k.Impl == suite.GoStd && k.Build == "" && k.Threads.V == 1
		}) {
			for _, lang := range []string{"c", "rust"} {
				o := k
				o.Impl = lang + "-std"
				parts = append(parts, e.orderKeys(fmt.Sprintf("%s N=%d: %s uses less memory than Go", w.Name, k.Size.V, map[string]string{"c": "C", "rust": "Rust"}[lang]), o, k, units.PeakRSS))
			}
		}
	}
	if e.hasEcho() {
		parts = append(parts, e.orderKeys("idle echo service: Rust uses less memory than Go", echoKey(rustIdiomatic).Startup(false), echoKey(goIdiomatic).Startup(false), units.IdleRSS))
	}
	return majority("programs", parts)
}

// evalInterop (line 1099): a Rust FFI call against a cgo call into the same C function.
func evalInterop(e *Evidence, c *Claim) Verdict {
	for _, k := range []key.Key{ffiKey(suite.RustFFI), ffiKey(suite.GoCgo)} {
		if !e.ok(k) {
			return combine(notMeasured("Rust FFI call is cheaper than a cgo call", e.caseReason(k)))
		}
	}
	return combine(e.orderKeys("Rust FFI call is cheaper than a cgo call", ffiKey(suite.RustFFI), ffiKey(suite.GoCgo), units.PerOp))
}

// evalFasthttp (lines 430, 1157): fasthttp's maximum throughput against net/http's.
func evalFasthttp(e *Evidence, c *Claim) Verdict {
	if !e.ok(echoKey(suite.GoFastHTTP)) && !e.ok(echoKey(suite.GoStd)) {
		return Verdict{Verdict: NotMeasured, Basis: "the echo services did not run"}
	}
	v := combine(e.order("fasthttp serves more requests per second than net/http", suite.GoFastHTTP, suite.GoStd, key.Max, units.Throughput))
	for _, impl := range []string{suite.RustAxum, suite.RustHyper} {
		if s, ok := e.Summary(echoKey(impl).AtLevel(key.Max), units.Throughput); ok {
			v.Basis += fmt.Sprintf("; %s %s", impl, describe(s, fmtOf(units.Throughput)))
		}
	}
	return v
}

// wasmKey is the key of lang's .wasm build of w (suite.WasmHello, ...) at the profile's
// parameters: the one case of that build the run holds, or false.
func (e *Evidence) wasmKey(w *suite.Workload, lang string) (key.Key, bool) {
	ks := e.T.Keys(func(k key.Key) bool { return k.Bench == w.Title && k.Impl == lang+"-std" && k.Build == "wasm" })
	if len(ks) == 0 {
		return key.Key{}, false
	}
	return ks[0].Case(), true
}

// evalWasm judges Go's and Rust's .wasm builds under one WASI runtime (cmd/wasmrun): the
// hello's start-up, exec to exit with the module's compilation in it (line 1236), and the
// run time of binarytrees, which allocates and so makes Go's collector work (line 1252),
// each an ordering (Mann-Whitney) that decides; spectralnorm, which allocates nothing, is
// shown informatively: whether the gap is the collector's or the code's.
func evalWasm(e *Evidence, c *Claim) Verdict {
	order := func(label string, w *suite.Workload, unit string) Part {
		rk, ok1 := e.wasmKey(w, "rust")
		gk, ok2 := e.wasmKey(w, "go")
		if !ok1 || !ok2 {
			return notMeasured(label, fmt.Sprintf("no samples of %s in both Go's and Rust's .wasm build (the wasm peers are built by 'make peers' where Debian's rustc with its wasm32-wasi std is installed: scripts/setup.sh)", w.Name))
		}
		return e.orderKeys(label, rk, gk, unit)
	}
	if _, ok := e.wasmKey(suite.WasmHello, "go"); !ok {
		if _, ok := e.wasmKey(suite.WasmHello, "rust"); !ok {
			return Verdict{Verdict: NotMeasured, Basis: "the wasm peers did not run: 'make peers' builds them and their runtime (Rust's needs Debian's rustc with its wasm32-wasi std: scripts/setup.sh)"}
		}
	}
	return combine(
		order("Go's .wasm starts slower than Rust's (hello, exec to exit, compilation included)", suite.WasmHello, units.Exec),
		order("Rust's .wasm runs faster without a GC (binarytrees, time per run)", suite.WasmBinarytrees, units.PerOp),
		informs(order("with nothing to collect (spectralnorm, time per run)", suite.WasmSpectralnorm, units.PerOp)),
	)
}
