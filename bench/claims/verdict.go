package claims

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/stats"
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
}

// Part is one half of a two-sided claim ("Go does X; Rust does Y").
type Part struct {
	Name    string `json:"name"`
	Verdict string `json:"verdict"`
	Basis   string `json:"basis"`
}

// Evidence is what a run offers the rules: samples of the cases that ended ok, and the build.
type Evidence struct {
	Run *results.Run
	ok  map[string]bool
}

// NewEvidence indexes a run. Samples of failed or skipped cases are never used.
func NewEvidence(run *results.Run) *Evidence {
	e := &Evidence{Run: run, ok: map[string]bool{}}
	for _, c := range run.Manifest.Cases {
		if c.State == results.CaseOK {
			e.ok[c.Name] = true
		}
	}
	return e
}

// Summary summarises the named case in unit; false if the case did not end ok.
func (e *Evidence) Summary(name, unit string) (stats.Summary, bool) {
	if !e.ok[name] {
		return stats.Summary{}, false
	}
	v := e.Run.Values(name, unit)
	if len(v) == 0 {
		return stats.Summary{}, false
	}
	return stats.Summarize(v), true
}

// caseReason says why a case has no evidence: its state and reason, or that it did not run.
func (e *Evidence) caseReason(name string) string {
	for _, c := range e.Run.Manifest.Cases {
		if c.Name == name {
			if c.Reason != "" {
				return fmt.Sprintf("%s %s: %s", name, c.State, c.Reason)
			}
			return name + " " + c.State
		}
	}
	return name + " did not run in this profile"
}

// Machine describes where the run ran, in one line.
func (e *Evidence) Machine() string {
	h := e.Run.Manifest.Host
	s := fmt.Sprintf("%s, %d CPUs, %.0f GiB, kernel %s", h.CPUModel, h.CPUs, float64(h.MemTotalB)/(1<<30), h.Kernel)
	if h.Virtualized != "" {
		s += ", " + h.Virtualized
	}
	return s + ", run " + e.Run.Manifest.RunID
}

// Evaluate judges every claim of the registry on the run.
func Evaluate(run *results.Run) []Verdict {
	e := NewEvidence(run)
	var out []Verdict
	for _, c := range Registry {
		var v Verdict
		if c.evaluate == nil {
			v = Verdict{Verdict: NotMeasured, Basis: c.pending}
		} else {
			v = c.evaluate(e)
		}
		v.Claim, v.Machine = c.ID, e.Machine()
		out = append(out, v)
	}
	return out
}

// combine joins parts: any contradicted part contradicts the claim; all holding parts make it
// hold; all unmeasured parts leave it unmeasured; anything else is inconclusive.
func combine(parts ...Part) Verdict {
	counts := map[string]int{}
	var basis []string
	for _, p := range parts {
		counts[p.Verdict]++
		basis = append(basis, p.Name+": "+p.Basis)
	}
	v := Verdict{Parts: parts, Basis: strings.Join(basis, "; ")}
	switch {
	case counts[Contradicted] > 0:
		v.Verdict = Contradicted
	case counts[Holds] == len(parts):
		v.Verdict = Holds
	case counts[NotMeasured] == len(parts):
		v.Verdict = NotMeasured
	default:
		v.Verdict = Inconclusive
	}
	return v
}

// inRange judges an interval against [lo, hi): inside holds, entirely outside contradicts,
// overlapping an edge (or no interval at all) is inconclusive.
func inRange(s stats.Summary, lo, hi float64) string {
	if !s.HasInterval() {
		return Inconclusive
	}
	switch {
	case s.Lo >= lo && s.Hi < hi:
		return Holds
	case s.Hi < lo || s.Lo >= hi:
		return Contradicted
	}
	return Inconclusive
}

// describe cites a summary: "median 1.21 ms, 95% CI [1.18 ms, 1.25 ms], n=200".
func describe(s stats.Summary, format func(float64) string) string {
	if !s.HasInterval() {
		return fmt.Sprintf("median %s, no 95%% interval, n=%d", format(s.Center), s.N)
	}
	return fmt.Sprintf("median %s, 95%% CI [%s, %s], n=%d", format(s.Center), format(s.Lo), format(s.Hi), s.N)
}

func ratioText(r stats.Ratio) string {
	if !r.HasInterval() {
		return fmt.Sprintf("%.3g (no interval)", r.Center)
	}
	return fmt.Sprintf("%.3g [%.3g, %.3g]", r.Center, r.Lo, r.Hi)
}

func ratioRange(r stats.Ratio, lo, hi float64) string {
	return inRange(stats.Summary{Center: r.Center, Lo: r.Lo, Hi: r.Hi}, lo, hi)
}

func notMeasured(name, why string) Part { return Part{Name: name, Verdict: NotMeasured, Basis: why} }

// --- the rules ---

func evalStartupService(e *Evidence) Verdict {
	if e.hasEcho() {
		return evalStartupServiceEcho(e)
	}
	part := func(lang, label string, lo, hi float64) Part {
		name := "Hello/impl=" + lang + "-std"
		s, ok := e.Summary(name, units.Exec)
		if !ok {
			return notMeasured(label, e.caseReason(name))
		}
		return Part{Name: label, Verdict: inRange(s, lo, hi), Basis: lang + " hello exec to exit " + describe(s, units.Duration)}
	}
	v := combine(part("go", "Go in tens of ms", 10e6, 100e6), part("rust", "Rust in ms", 0, 10e6))
	v.Basis += "; scope: a hello program only (the echo services did not run), which bounds the language's own start-up cost from below"
	return v
}

// largestMatmul finds the largest size at which all the named implementations ended ok with
// the given thread count.
func (e *Evidence) largestMatmul(threads int64, impls ...string) (int64, bool) {
	var sizes []int64
	seen := map[int64]bool{}
	for _, c := range e.Run.Manifest.Cases {
		if c.Workload == "matmul" && c.Params.Threads == threads && !seen[c.Params.Size] {
			seen[c.Params.Size] = true
			sizes = append(sizes, c.Params.Size)
		}
	}
	sort.Slice(sizes, func(i, j int) bool { return sizes[i] > sizes[j] })
	for _, n := range sizes {
		all := true
		for _, impl := range impls {
			all = all && e.ok[matmulName(impl, n, threads)]
		}
		if all {
			return n, true
		}
	}
	return 0, false
}

func matmulName(impl string, n, threads int64) string {
	return "Matmul/impl=" + impl + "/size=" + strconv.FormatInt(n, 10) + "/threads=" + strconv.FormatInt(threads, 10)
}

func evalCPUvsC(e *Evidence) Verdict {
	n, ok := e.largestMatmul(1, "c-naive", "go-naive", "rust-naive")
	if !ok {
		return Verdict{Verdict: NotMeasured, Basis: "the naive matmul did not end ok for C, Go and Rust at any common size with 1 thread (see the cases table)"}
	}
	cs, _ := e.Summary(matmulName("c-naive", n, 1), units.PerOp)
	part := func(lang, label string, lo, hi float64) Part {
		s, _ := e.Summary(matmulName(lang+"-naive", n, 1), units.PerOp)
		r := stats.RatioOf(cs, s) // C's time / lang's time = lang's speed as a fraction of C's
		return Part{Name: label, Verdict: ratioRange(r, lo, hi+1e-12),
			Basis: fmt.Sprintf("speed relative to C %s at n=%d (%s per multiply %s; C %s)", ratioText(r), n, lang, describe(s, units.Duration), describe(cs, units.Duration))}
	}
	return combine(part("go", "Go at 50-70% of C", 0.5, 0.7), part("rust", "Rust at 90-100% of C", 0.9, 1.0))
}

func evalNumeric(e *Evidence) Verdict {
	var parts []Part
	for _, threads := range e.matmulThreads() {
		n, ok := e.largestMatmul(threads, "go-gonum", "rust-faer")
		label := fmt.Sprintf("%d thread(s)", threads)
		if !ok {
			parts = append(parts, notMeasured(label, "gonum and faer did not both end ok at any size"))
			continue
		}
		gname, rname := matmulName("go-gonum", n, threads), matmulName("rust-faer", n, threads)
		gs, _ := e.Summary(gname, units.PerOp)
		rs, _ := e.Summary(rname, units.PerOp)
		cmp := stats.Compare(e.Run.Values(gname, units.PerOp), e.Run.Values(rname, units.PerOp))
		flops := 2 * math.Pow(float64(n), 3)
		basis := fmt.Sprintf("n=%d: gonum %.3g GFLOPS (%s), faer %.3g GFLOPS (%s), %s", n,
			flops/gs.Center, describe(gs, units.Duration), flops/rs.Center, describe(rs, units.Duration), cmp)
		verdict := Inconclusive
		if cmp.Significant {
			verdict = Holds
			if gs.Center < rs.Center {
				verdict = Contradicted
			}
		}
		parts = append(parts, Part{Name: label, Verdict: verdict, Basis: basis})
	}
	if len(parts) == 0 {
		return Verdict{Verdict: NotMeasured, Basis: "matmul did not run in this profile"}
	}
	return combine(parts...)
}

func (e *Evidence) matmulThreads() []int64 {
	var out []int64
	seen := map[int64]bool{}
	for _, c := range e.Run.Manifest.Cases {
		if c.Workload == "matmul" && !seen[c.Params.Threads] {
			seen[c.Params.Threads] = true
			out = append(out, c.Params.Threads)
		}
	}
	return out
}

func evalCompileSpeed(e *Evidence) Verdict {
	b := e.Run.Manifest.Build
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
	part := func(label string, gns, rns int64) Part {
		ratio := float64(rns) / float64(gns)
		v := Inconclusive
		switch {
		case ratio >= 2:
			v = Holds
		case ratio <= 1:
			v = Contradicted
		}
		return Part{Name: label, Verdict: v, Basis: fmt.Sprintf("Rust %s / Go %s = %.3g (n=1 each)", units.Duration(float64(rns)), units.Duration(float64(gns)), ratio)}
	}
	return combine(part("clean build", g.CleanNs, r.CleanNs), part("one file changed", g.RebuildNs, r.RebuildNs))
}

func evalBinarySize(e *Evidence) Verdict {
	b := e.Run.Manifest.Build
	if b == nil {
		return Verdict{Verdict: NotMeasured, Basis: "no build record: run 'make peers' (gorustbench build) before the run"}
	}
	var goBin, rustBin *results.BinaryRecord
	for i, bin := range b.Binaries {
		if bin.Workload == "hello" && bin.Lang == "go" {
			goBin = &b.Binaries[i]
		}
		if bin.Workload == "hello" && bin.Lang == "rust" {
			rustBin = &b.Binaries[i]
		}
	}
	static := notMeasured("Go static", "no Go hello binary in the build record")
	if goBin != nil {
		static = Part{Name: "Go static", Verdict: Contradicted, Basis: "the Go hello has an ELF interpreter (dynamically linked)"}
		if goBin.Static {
			static = Part{Name: "Go static", Verdict: Holds, Basis: "the Go hello has no ELF interpreter"}
		}
	}
	size := notMeasured("sizes", "the Go or Rust hello binary is missing from the build record")
	if goBin != nil && rustBin != nil {
		rv := inRange(stats.Exact(float64(rustBin.StrippedBytes)), 50e3, 200e3+1)
		gv := inRange(stats.Exact(float64(goBin.StrippedBytes)), 1e6, 10e6)
		size = combine(
			Part{Verdict: rv}, Part{Verdict: gv},
		).asPart("sizes", fmt.Sprintf("stripped hello: Rust %s (%s as built), Go %s (%s as built); ratio Go/Rust %.3g",
			units.Bytes(float64(rustBin.StrippedBytes)), units.Bytes(float64(rustBin.Bytes)), units.Bytes(float64(goBin.StrippedBytes)), units.Bytes(float64(goBin.Bytes)),
			float64(goBin.StrippedBytes)/float64(rustBin.StrippedBytes)))
	}
	return combine(static, size)
}

func (v Verdict) asPart(name, basis string) Part {
	return Part{Name: name, Verdict: v.Verdict, Basis: basis}
}

func evalFFI(e *Evidence) Verdict {
	name := func(impl string) string { return "FFI/impl=" + impl + "/size=0/threads=1" }
	pair := func(label, ffi, plain string, judge func(stats.Ratio, stats.Comparison) string) Part {
		for _, n := range []string{name(ffi), name(plain)} {
			if !e.ok[n] {
				return notMeasured(label, e.caseReason(n))
			}
		}
		fs, _ := e.Summary(name(ffi), units.PerOp)
		ps, _ := e.Summary(name(plain), units.PerOp)
		r := stats.RatioOf(fs, ps)
		cmp := stats.Compare(e.Run.Values(name(ffi), units.PerOp), e.Run.Values(name(plain), units.PerOp))
		return Part{Name: label, Verdict: judge(r, cmp), Basis: fmt.Sprintf("%s %s per call vs %s %s; ratio %s, %s",
			ffi, describe(fs, units.Duration), plain, describe(ps, units.Duration), ratioText(r), cmp)}
	}
	cgo := pair("cgo has overhead", "go-cgo", "go-plain", func(r stats.Ratio, c stats.Comparison) string {
		switch {
		case c.Significant && r.Center > 1:
			return Holds
		case c.Significant:
			return Contradicted
		}
		return Inconclusive
	})
	rust := pair("Rust FFI is free", "rust-ffi", "rust-plain", func(r stats.Ratio, _ stats.Comparison) string {
		return ratioRange(r, 0.9, 1.1+1e-9) // the rule's range includes its ends
	})
	return combine(cgo, rust)
}
