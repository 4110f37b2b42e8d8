package claims

import (
	"fmt"

	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/suite"
	"github.com/gorustbench/gorustbench/bench/summary"
)

// KernelPair is one CPU kernel compared with C for cpu-vs-c: C's case and the language's, one
// thread, in one build.
type KernelPair struct {
	Name    string // "nbody N=2000000", "matmul naive n=1024"
	C, Lang key.Key
}

// kernelImpl are each language's implementation of the CPU kernels and of the naive matmul.
var kernelImpl = map[string][2]string{
	"c":    {suite.CStd, suite.CNaive},
	"go":   {suite.GoStd, suite.GoNaive},
	"rust": {suite.RustStd, suite.RustNaive},
}

// caseUsable reports whether k's case is evidence: it ended ok, or the run's interruption cut
// it short (its samples are then partial evidence).
func caseUsable(t *summary.Table, k key.Key) bool {
	c := t.Case(k)
	return c != nil && (c.State == results.CaseOK || c.State == results.CaseInterrupted)
}

// KernelPairs are the cases cpu-vs-c compares for lang ("go" or "rust") in build ("" the
// ordinary, "native"): every CPU kernel at the largest size where C and lang both ended ok,
// one thread; and, in the ordinary build, the naive matmul at the largest size where C, Go and
// Rust all ended ok. The claim, its chart and the report's kernel table all take them from
// here, so they show the same cases.
func KernelPairs(t *summary.Table, build, lang string) []KernelPair {
	impl, ok := kernelImpl[lang]
	if !ok {
		return nil
	}
	var out []KernelPair
	for _, w := range suite.Kernels {
		var best key.Key
		for _, k := range t.Keys(func(k key.Key) bool {
			return k.Bench == w.Title && k.Impl == suite.CStd && k.Build == build && k.Threads.V == 1
		}) {
			lk := k
			lk.Impl = impl[0]
			if caseUsable(t, k) && caseUsable(t, lk) && k.Size.V >= best.Size.V {
				best = k
			}
		}
		if best.Bench != "" {
			lk := best
			lk.Impl = impl[0]
			out = append(out, KernelPair{Name: fmt.Sprintf("%s N=%d", w.Name, best.Size.V), C: best, Lang: lk})
		}
	}
	if build == "" {
		var big key.Key
		for _, k := range t.Keys(func(k key.Key) bool {
			return k.Bench == suite.Matmul.Title && k.Impl == suite.CNaive && k.Threads.V == 1 && k.Build == ""
		}) {
			all := true
			for _, l := range []string{"go", "rust"} {
				lk := k
				lk.Impl = kernelImpl[l][1]
				all = all && caseUsable(t, lk)
			}
			if all && caseUsable(t, k) && k.Size.V > big.Size.V {
				big = k
			}
		}
		if big.Bench != "" {
			lk := big
			lk.Impl = impl[1]
			out = append(out, KernelPair{Name: fmt.Sprintf("matmul naive n=%d", big.Size.V), C: big, Lang: lk})
		}
	}
	return out
}
