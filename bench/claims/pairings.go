package claims

import (
	"fmt"
	"strings"

	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/suite"
	"github.com/gorustbench/gorustbench/bench/units"
)

// Depends is the verdict of a claim its pairings disagree on: one pairing holds, another
// contradicts. The verdict names what each says (Verdict.Says).
const Depends = "depends"

// Pairing is one comparison a fair reader accepts for a claim: which implementations stand
// for each language (several: the rule takes the best of them by the measure it judges, the
// fastest or the leanest, in the same build), or which build. Every comparative claim declares
// at least two, "idiomatic" (each language's standard or most-used choice) and "best" (each
// language's fastest), and is judged on each.
type Pairing struct {
	Name string   `json:"name"`
	Go   []string `json:"go,omitempty"`
	Rust []string `json:"rust,omitempty"`
	// Build is the build both sides are taken from: "" the ordinary, "native" the native one.
	Build string `json:"build,omitempty"`
	// Why says what the pairing stands for, for the reader.
	Why string `json:"why"`
	// Missing, when set, is why the pairing cannot be measured: the peer it needs does not
	// exist yet. It is shown as not measured and never decides.
	Missing string `json:"missing,omitempty"`
}

// String names the pairing, what it compares and why: "borrowed (go-sonic vs
// rust-serde-borrow; zero copy against zero copy: ...)".
func (p Pairing) String() string {
	side := func(ids []string) string {
		if len(ids) == 1 {
			return ids[0]
		}
		return "the best of " + strings.Join(ids, ", ")
	}
	s := p.Name
	var what []string
	if len(p.Go) > 0 || len(p.Rust) > 0 {
		what = append(what, side(p.Go)+" vs "+side(p.Rust))
	}
	if p.Build != "" {
		what = append(what, p.Build+" build")
	}
	if p.Why != "" {
		what = append(what, p.Why)
	}
	if len(what) > 0 {
		s += " (" + strings.Join(what, "; ") + ")"
	}
	if p.Missing != "" {
		s += ", not measured: " + p.Missing
	}
	return s
}

// pairingRule is how the pairings' verdicts combine, as the rule text states it.
const pairingRule = "The claim holds (or is contradicted) only when every measured pairing says so; when one pairing holds and another contradicts, the verdict is 'depends' and names what each says; otherwise inconclusive. A pairing no peer can answer yet is named as not measured and does not decide."

// pairingJudge judges a claim on one pairing, and says which implementations it compared
// ("go-sonic vs rust-serde-borrow").
type pairingJudge func(p Pairing) (Verdict, string)

// acrossPairings judges c on each of its pairings and combines them: every measured pairing
// holds (contradicts), the claim holds (is contradicted); one holds and another contradicts,
// it depends; anything else is inconclusive; nothing measured is not measured. The parts of
// each pairing are kept, named after their pairing.
func acrossPairings(c *Claim, judge pairingJudge) Verdict {
	var out Verdict
	var basis, sameNote []string
	count := map[string]int{}
	measured := 0
	var distinct []Verdict // the pairings that compared implementations no earlier one did
	var distinctNames []string
	for _, p := range c.Pairings {
		var v Verdict
		impls := ""
		if p.Missing != "" {
			v = Verdict{Verdict: NotMeasured, Basis: p.Missing}
		} else {
			v, impls = judge(p)
		}
		out.Pairings = append(out.Pairings, PairingVerdict{Pairing: p.Name, Impls: impls, Verdict: v.Verdict})
		label := p.Name
		if impls != "" {
			label += " (" + impls + ")"
		}
		// A pairing that came down to the same implementations as an earlier one (the fastest
		// of each is the idiomatic one) says the same; its parts are not repeated.
		if same := samePairing(out.Pairings); same != "" {
			basis = append(basis, fmt.Sprintf("[%s says %s: the same implementations as %s]", label, v.Verdict, same))
			sameNote = append(sameNote, p.Name+" came down to the same implementations as "+same+" ("+impls+")")
		} else {
			distinct, distinctNames = append(distinct, v), append(distinctNames, p.Name)
			basis = append(basis, fmt.Sprintf("[%s says %s] %s", label, v.Verdict, v.Basis))
		}
		if v.Verdict != NotMeasured {
			measured++
			count[v.Verdict]++
		}
	}
	switch {
	case measured == 0:
		out.Verdict = NotMeasured
	case count[Holds] == measured:
		out.Verdict = Holds
	case count[Contradicted] == measured:
		out.Verdict = Contradicted
	case count[Holds] > 0 && count[Contradicted] > 0:
		out.Verdict = Depends
	default:
		out.Verdict = Inconclusive
	}
	if len(distinct) == 1 {
		// Every pairing compared the same implementations: one comparison, cited as such.
		out.Parts = distinct[0].Parts
		out.Basis = distinct[0].Basis
		if len(sameNote) > 0 {
			out.Basis += "; " + strings.Join(sameNote, "; ")
		}
		return out
	}
	for i, v := range distinct {
		for _, part := range v.Parts {
			part.Name = distinctNames[i] + ": " + part.Name
			out.Parts = append(out.Parts, part)
		}
	}
	out.Basis = strings.Join(basis, "; ")
	return out
}

// samePairing names the earlier pairing whose implementations the last one came down to, when
// both name them ("go-std vs rust-axum"); "" otherwise.
func samePairing(ps []PairingVerdict) string {
	last := ps[len(ps)-1]
	if !strings.Contains(last.Impls, " vs ") {
		return ""
	}
	for _, p := range ps[:len(ps)-1] {
		if p.Impls == last.Impls {
			return p.Pairing
		}
	}
	return ""
}

// Says is what each pairing says, for a verdict judged on pairings: "holds for idiomatic
// (go-std vs rust-serde), contradicted for best (go-sonic vs rust-sonic-rs)"; "" for a claim
// judged on one comparison.
func (v Verdict) Says() string {
	var s []string
	for _, p := range v.Pairings {
		x := p.Verdict + " for " + p.Pairing
		if p.Impls != "" {
			x += " (" + p.Impls + ")"
		}
		s = append(s, x)
	}
	return strings.Join(s, ", ")
}

// Headline is the verdict as a table cell shows it: the word, and for "depends" what each
// pairing says.
func (v Verdict) Headline() string {
	if v.Verdict == Depends {
		return v.Verdict + ": " + v.Says()
	}
	return v.Verdict
}

// bestOf is the implementation among ids whose case (keyOf) has the best median in unit:
// the lowest, or the highest when higherBetter. false if none has samples.
func (e *Evidence) bestOf(ids []string, keyOf func(impl string) key.Key, unit string, higherBetter bool) (string, bool) {
	best, bestV := "", 0.0
	for _, id := range ids {
		s, ok := e.Summary(keyOf(id), unit)
		if !ok {
			continue
		}
		better := s.Center < bestV
		if higherBetter {
			better = s.Center > bestV
		}
		if best == "" || better {
			best, bestV = id, s.Center
		}
	}
	return best, best != ""
}

// higherIsBetter reports whether a larger value of unit is better (throughput, GFLOPS).
func higherIsBetter(unit string) bool {
	u, ok := units.Lookup(unit)
	return ok && u.Better == units.Higher
}

// The pairings of the comparative claims. To compare a new peer (issue 20's sonic with copied
// strings, an idiomatic tokio fan-out), add its suite constant to a pairing here, or declare a
// new pairing and list it in the claim's Pairings.
var (
	echoIdiomatic = Pairing{Name: "idiomatic", Go: []string{suite.GoStd}, Rust: []string{suite.RustAxum},
		Why: "each language's standard or most-used HTTP server: net/http and axum"}
	echoBest = Pairing{Name: "best", Go: []string{suite.GoStd, suite.GoFastHTTP}, Rust: []string{suite.RustAxum, suite.RustHyper},
		Why: "each language's fastest server here (highest median maximum throughput)"}

	jsonGo   = []string{suite.GoStd, suite.GoEasyJSON, suite.GoSonic, suite.GoSonicCopy, suite.GoGoJSON, suite.GoJSONv2}
	jsonRust = []string{suite.RustSerde, suite.RustSerdeBorrow, suite.RustSonic, suite.RustSimdJSON}

	jsonIdiomatic = Pairing{Name: "idiomatic", Go: []string{suite.GoStd}, Rust: []string{suite.RustSerde},
		Why: "each language's standard: encoding/json and serde_json with owned types"}
	jsonBest = Pairing{Name: "best", Go: jsonGo, Rust: jsonRust,
		Why: "each language's fastest library at the shape and size judged (all ordinary builds)"}
	jsonLeanest = Pairing{Name: "best", Go: jsonGo, Rust: jsonRust,
		Why: "each language's leanest library at the shape and size judged (all ordinary builds)"}
	jsonCodegen = Pairing{Name: "codegen", Go: []string{suite.GoEasyJSON}, Rust: []string{suite.RustSerde},
		Why: "compile-time code generation against compile-time code generation (line 319): easyjson's generated code and serde's derive, owned types"}
	jsonBorrowed = Pairing{Name: "borrowed", Go: []string{suite.GoSonic}, Rust: []string{suite.RustSerdeBorrow},
		Why: "zero copy against zero copy: sonic keeps strings in the input, as serde's borrowing mode does"}

	numLibrary = Pairing{Name: "idiomatic", Go: []string{suite.GoGonum}, Rust: []string{suite.RustFaer},
		Why: "each language's pure dense linear algebra library: gonum (pure-Go BLAS) and faer"}
	numBest = Pairing{Name: "best", Go: []string{suite.GoNaive, suite.GoGonum}, Rust: []string{suite.RustNaive, suite.RustFaer},
		Why: "each language's fastest matrix multiply here"}
	numNaive = Pairing{Name: "naive", Go: []string{suite.GoNaive}, Rust: []string{suite.RustNaive},
		Why: "the same triple loop in both: what each compiler's auto-vectorisation makes of it (line 573)"}
	numBindings = Pairing{Name: "BLAS bindings", Go: []string{suite.GoOpenBLAS}, Rust: []string{suite.RustFaer},
		Why: "line 572: Go's numeric speed comes from BLAS/LAPACK bindings: gonum on OpenBLAS through its netlib binding (cgo), against Rust's fastest library"}

	chanIdiomatic = Pairing{Name: "idiomatic", Go: []string{suite.GoChan}, Rust: []string{suite.RustStd},
		Why: "each language's standard channel: Go's chan and std::sync::mpsc"}
	chanNamed = Pairing{Name: "named", Go: []string{suite.GoChan}, Rust: []string{suite.RustCrossbeam, suite.RustFlume},
		Why: "the Rust channels the report names (lines 342, 860): the faster of crossbeam and flume"}
	startBest = Pairing{Name: "best", Go: []string{suite.GoStd, suite.GoFastHTTP}, Rust: []string{suite.RustAxum, suite.RustHyper},
		Why: "each language's fastest-starting server (lowest median exec to first 200)"}
	memLeanest = Pairing{Name: "best", Go: []string{suite.GoStd, suite.GoFastHTTP}, Rust: []string{suite.RustAxum, suite.RustHyper},
		Why: "each language's leanest server (lowest median idle RSS)"}
	latBest = Pairing{Name: "best", Go: []string{suite.GoStd, suite.GoFastHTTP}, Rust: []string{suite.RustAxum, suite.RustHyper},
		Why: "each language's server with the lowest median p99.9 at the medium rate"}

	chanBest = Pairing{Name: "best", Go: []string{suite.GoChan}, Rust: []string{suite.RustCrossbeam, suite.RustFlume, suite.RustTokio, suite.RustTokioFlume, suite.RustStd},
		Why: "each language's fastest channel at the shape judged"}

	cpuOrdinary = Pairing{Name: "ordinary build (C -O2)", Go: []string{suite.GoStd}, Rust: []string{suite.RustStd},
		Why: "what a project ships: C -O2, cargo --release, go build"}
	cpuNative = Pairing{Name: "native build (C -O3 -march=native)", Go: []string{suite.GoStd}, Rust: []string{suite.RustStd}, Build: "native",
		Why: "each language at its best on this CPU: C -O3 -march=native, Rust target-cpu=native, Go GOAMD64=v3"}
)
