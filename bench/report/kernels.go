package report

import (
	"fmt"

	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/stats"
	"github.com/gorustbench/gorustbench/bench/suite"
	"github.com/gorustbench/gorustbench/bench/summary"
	"github.com/gorustbench/gorustbench/bench/units"
)

// kernels writes, per CPU kernel and build, each language's time and its speed relative to C
// (C time / language time, the median of per-round ratios with its interval).
func kernels(p func(string, ...any), t *summary.Table) {
	var rows []string
	for _, w := range suite.Kernels {
		for _, build := range []string{"", "native"} {
			for _, k := range t.Keys(func(k key.Key) bool { return k.Bench == w.Title && k.Build == build && k.Impl == "c-std" }) {
				ct := t.Values(k, units.PerOp)
				if len(ct) == 0 {
					continue
				}
				row := fmt.Sprintf("| %s | %d | %s | %s |", w.Name, k.Size.V, buildLabel(build), med(t, k, units.PerOp))
				for _, lang := range []string{"go", "rust"} {
					lk := k
					lk.Impl = lang + "-std"
					lt := t.Values(lk, units.PerOp)
					if len(lt) == 0 {
						row += " | |"
						continue
					}
					r := stats.PairedRatio(ct, lt)
					row += fmt.Sprintf(" %s | %s |", med(t, lk, units.PerOp), ratioCell(r))
				}
				rows = append(rows, row)
			}
		}
	}
	if len(rows) == 0 {
		return
	}
	p("## CPU kernels\n\n")
	p("Five programs written to the same published rules in each language, one thread; speed relative to C = C's time / the language's time, per interleaved round (median, with its interval). The ordinary build is what a project ships (C -O2 -fno-math-errno, cargo --release, go build); the native build is C -O3 -march=native -fno-math-errno, Rust target-cpu=native, Go GOAMD64=v3, each compared with C in the same build.\n\n")
	p("| kernel | N | build | C | Go | Go vs C | Rust | Rust vs C |\n|---|---|---|---|---|---|---|---|\n")
	for _, r := range rows {
		p("%s\n", r)
	}
	p("\n")
}

func buildLabel(b string) string {
	if b == "" {
		return "ordinary"
	}
	return b
}

func ratioCell(r stats.Ratio) string {
	if !r.HasInterval() {
		return fmt.Sprintf("%.2fx", r.Center)
	}
	return fmt.Sprintf("%.2fx [%.2f, %.2f]", r.Center, r.Lo, r.Hi)
}
