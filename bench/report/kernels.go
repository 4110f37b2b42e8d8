package report

import (
	"fmt"

	"github.com/gorustbench/gorustbench/bench/claims"
	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/stats"
	"github.com/gorustbench/gorustbench/bench/summary"
	"github.com/gorustbench/gorustbench/bench/units"
)

// kernels writes, per CPU kernel and build, each language's time and its speed relative to C
// (C time / language time, the median of per-round ratios with its interval).
func kernels(p func(string, ...any), t *summary.Table) {
	var rows []string
	for _, build := range []string{"", "native"} {
		// The cases cpu-vs-c judges (claims.KernelPairs), one row per C case.
		var cKeys []key.Key
		lang := map[string]map[key.Key]key.Key{}
		names := map[key.Key]string{}
		for _, l := range []string{"go", "rust"} {
			lang[l] = map[key.Key]key.Key{}
			for _, kp := range claims.KernelPairs(t, build, l) {
				if _, seen := names[kp.C]; !seen {
					cKeys = append(cKeys, kp.C)
					names[kp.C] = kp.Name
				}
				lang[l][kp.C] = kp.Lang
			}
		}
		for _, k := range cKeys {
			ct := t.Values(k, units.PerOp)
			if len(ct) == 0 {
				continue
			}
			row := fmt.Sprintf("| %s | %s | %s |", names[k], buildLabel(build), med(t, k, units.PerOp))
			for _, l := range []string{"go", "rust"} {
				lk, ok := lang[l][k]
				lt := t.Values(lk, units.PerOp)
				if !ok || len(lt) == 0 {
					row += " | |"
					continue
				}
				row += fmt.Sprintf(" %s | %s |", med(t, lk, units.PerOp), ratioCell(stats.PairedRatioAt(ct, lt, t.Level(k, lk))))
			}
			rows = append(rows, row)
		}
	}
	if len(rows) == 0 {
		return
	}
	p("## CPU kernels\n\n")
	p("The cases cpu-vs-c judges: five programs written to the same published rules in each language, at the largest size C and the language both ran, one thread, and the naive matrix multiply in the ordinary build; speed relative to C = C's time / the language's time, per interleaved round (median, with its interval). The ordinary build is what a project ships (C -O2 -fno-math-errno, cargo --release, go build); the native build is C -O3 -march=native -fno-math-errno, Rust target-cpu=native, Go GOAMD64=v3, each compared with C in the same build.\n\n")
	p("| kernel | build | C | Go | Go vs C | Rust | Rust vs C |\n|---|---|---|---|---|---|---|\n")
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
