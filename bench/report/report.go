// Package report turns a run folder into what a person reads: report.md with the verdict on
// every claim (citing numbers, machine and n), the cases and their states, and summaries of
// every measurement; and verdicts.json for machines.
package report

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/gorustbench/gorustbench/bench/claims"
	"github.com/gorustbench/gorustbench/bench/plot"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/stats"
	"github.com/gorustbench/gorustbench/bench/suite"
	"github.com/gorustbench/gorustbench/bench/units"
)

// WriteFolder loads the run at dir and writes report.md and verdicts.json into it. It returns
// the report's path.
func WriteFolder(dir string) (string, error) {
	run, err := results.Load(dir)
	if err != nil {
		return "", err
	}
	verdicts := claims.Evaluate(run)
	js, err := json.MarshalIndent(verdicts, "", "  ")
	if err != nil {
		return "", err
	}
	if err := results.WriteFileAtomic(filepath.Join(dir, "verdicts.json"), append(js, '\n')); err != nil {
		return "", err
	}
	charts, err := plot.Write(dir, run)
	if err != nil {
		return "", fmt.Errorf("drawing charts: %w", err)
	}
	var b strings.Builder
	Markdown(&b, run, verdicts)
	for _, c := range charts {
		fmt.Fprintf(&b, "\n### %s\n\n![%s](%s)\n\n%s\n", c.Title, c.Title, c.File, c.Caption)
	}
	path := filepath.Join(dir, "report.md")
	return path, results.WriteFileAtomic(path, []byte(b.String()))
}

// Markdown writes the report.
func Markdown(w io.Writer, run *results.Run, verdicts []claims.Verdict) {
	m := &run.Manifest
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("# gorustbench report: run %s\n\n", m.RunID)
	switch m.State {
	case results.StateInterrupted:
		p("> **This run was interrupted** (%s). Every sample taken before that is here; cases still pending have no samples.\n\n", m.StateReason)
	case results.StateRunning:
		p("> **This run never finished**: the harness was killed without a chance to say so. The samples here are those written up to then.\n\n")
	}
	p("Profile `%s`, started %s, commit `%s`. Raw samples: `samples.bench` (`benchstat -col /impl samples.bench`); machine, cases and reasons: `manifest.json`; each case's output: `logs/`.\n\n",
		m.Profile, m.Started.Format("2006-01-02 15:04 UTC"), m.GitCommit)

	p("## Machine\n\n")
	h := m.Host
	p("| | |\n|---|---|\n")
	p("| CPU | %s, %d logical CPUs, %.0f MHz nominal |\n", h.CPUModel, h.CPUs, h.CPUMHz)
	p("| memory | %s |\n| kernel | %s (%s/%s) |\n| governor | %s |\n", units.Bytes(float64(h.MemTotalB)), h.Kernel, h.OS, h.Arch, h.Governor)
	if h.Virtualized != "" {
		p("| virtualization | %s |\n", h.Virtualized)
	}
	p("| Go | %s |\n| Rust | %s |\n| C | %s |\n", m.Toolchains.Go, m.Toolchains.Rustc, m.Toolchains.CC)
	p("| pinning | %s |\n", m.Pinning)
	p("| build | %s |\n", map[bool]string{true: "native (C -O3 -march=native, Rust target-cpu=native, Go GOAMD64=v3)", false: "the languages' ordinary release settings (C -O2, cargo --release, go build)"}[m.Native])
	var env []string
	for k, v := range m.Env {
		if v != "" {
			env = append(env, k+"="+v)
		}
	}
	sort.Strings(env)
	if len(env) == 0 {
		env = []string{"none of GOGC, GOMEMLIMIT, GODEBUG, GOMAXPROCS set"}
	}
	p("| environment | %s |\n\n", strings.Join(env, " "))

	p("## Verdicts\n\n")
	p("Each claim of the report (`gorustbench claims` lists them with their rules) judged on this run: ")
	p("**holds** (the 95%% interval lies inside the claimed range, or the claimed ordering is significant), **contradicted** (entirely outside, or the opposite ordering is significant), **inconclusive** (overlaps an edge, or not significant), **not measured** (with the reason).\n\n")
	p("| claim | verdict | numbers |\n|---|---|---|\n")
	for _, v := range verdicts {
		p("| %s | **%s** | %s |\n", v.Claim, v.Verdict, cell(v.Basis))
	}
	p("\nMeasured on: %s.\n\n", verdicts0(verdicts))

	p("## Cases\n\n")
	p("| case | state | samples | exec to exit | peer time per op | peak RSS | CPU (user+sys) |\n|---|---|---|---|---|---|---|\n")
	for _, c := range m.Cases {
		row := []string{c.Name, c.State, fmt.Sprint(c.Samples), "", "", "", ""}
		if c.State == results.CaseOK && c.Workload == "echo" {
			row[3] = "see the HTTP echo services below"
		} else if c.State == results.CaseOK {
			row[3] = med(run, c.Name, units.Exec, units.Duration)
			row[4] = med(run, c.Name, units.PerOp, units.Duration)
			row[5] = med(run, c.Name, units.PeakRSS, units.Bytes)
			row[6] = cpu(run, c.Name)
		} else if c.Reason != "" {
			row[3] = cell(c.Reason)
		}
		p("| %s |\n", strings.Join(row, " | "))
	}
	p("\nMedians with their 95%% confidence interval (benchmath, distribution-free); fewer than 6 samples give no interval. Peak RSS is the peer's own VmHWM read from /proc just before it exits, never rusage.\n\n")

	matmul(p, run)
	ffi(p, run)
	servers(p, run)

	if b := m.Build; b != nil {
		p("## Build\n\n")
		p("| language | clean build | one file changed | what clean includes |\n|---|---|---|---|\n")
		for _, l := range b.Languages {
			if l.Error != "" {
				p("| %s | failed: %s | | |\n", l.Lang, cell(l.Error))
				continue
			}
			if l.CleanNs == 0 {
				p("| %s | not timed (built with --no-clean) | | |\n", l.Lang)
				continue
			}
			p("| %s | %s | %s (`%s`) | %s |\n", l.Lang, units.Duration(float64(l.CleanNs)), units.Duration(float64(l.RebuildNs)), l.ChangedFile, cell(l.Scope))
		}
		p("\n| binary | size | stripped | static |\n|---|---|---|---|\n")
		for _, bin := range b.Binaries {
			p("| %s | %s | %s | %v |\n", bin.Path, units.Bytes(float64(bin.Bytes)), units.Bytes(float64(bin.StrippedBytes)), bin.Static)
		}
		p("\n")
	}

	p("## What the report claims that no benchmark can judge\n\n")
	p("| topic | lines | original | reason |\n|---|---|---|---|\n")
	for _, u := range claims.Unmeasurable {
		p("| %s | %s | %s | %s |\n", u.Topic, u.Lines, cell(u.Original), cell(u.Reason))
	}
}

func verdicts0(v []claims.Verdict) string {
	if len(v) == 0 {
		return "nothing"
	}
	return v[0].Machine
}

func med(run *results.Run, name, unit string, format func(float64) string) string {
	vals := run.Values(name, unit)
	if len(vals) == 0 {
		return ""
	}
	s := stats.Summarize(vals)
	if !s.HasInterval() {
		return format(s.Center)
	}
	return fmt.Sprintf("%s [%s, %s]", format(s.Center), format(s.Lo), format(s.Hi))
}

func cpu(run *results.Run, name string) string {
	u, s := run.Values(name, units.User), run.Values(name, units.Sys)
	if len(u) == 0 || len(u) != len(s) {
		return ""
	}
	sum := make([]float64, len(u))
	for i := range u {
		sum[i] = u[i] + s[i]
	}
	return units.Duration(stats.Summarize(sum).Center)
}

// cell makes text safe inside a Markdown table cell.
func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

// servers writes the echo services' start-up and load tables, when they ran.
func servers(p func(string, ...any), run *results.Run) {
	var impls []*results.CaseState
	for _, c := range run.Manifest.Cases {
		if c.Workload == "echo" {
			impls = append(impls, c)
		}
	}
	if len(impls) == 0 {
		return
	}
	p("## HTTP echo services\n\n")
	p("Start-up (one worker thread on one CPU; warm, and cold where the page cache could be dropped):\n\n")
	p("| implementation | exec to READY | exec to first 200 | idle RSS | peak RSS | n |\n|---|---|---|---|---|---|\n")
	for _, c := range impls {
		name := suite.StartupName(c.Impl)
		n := len(run.Values(name, units.Exec))
		if c.State != results.CaseOK {
			p("| %s | %s: %s | | | | |\n", c.Impl, c.State, cell(c.Reason))
			continue
		}
		p("| %s | %s | %s | %s | %s | %d |\n", c.Impl, med(run, name, units.Exec, units.Duration), med(run, name, units.First200, units.Duration),
			med(run, name, units.IdleRSS, units.Bytes), med(run, name, units.PeakRSS, units.Bytes), n)
		cold := suite.ColdStartName(c.Impl)
		if n := len(run.Values(cold, units.Exec)); n > 0 {
			p("| %s, cold (page cache dropped) | %s | %s | %s | %s | %d |\n", c.Impl, med(run, cold, units.Exec, units.Duration), med(run, cold, units.First200, units.Duration),
				med(run, cold, units.IdleRSS, units.Bytes), med(run, cold, units.PeakRSS, units.Bytes), n)
		}
	}
	p("\nUnder load (server on one CPU, load generator on the others; latency from the scheduled send, coordinated omission corrected; `max` is a closed loop, the other rates are open loops at fractions of the slowest server's maximum, the same for every server):\n\n")
	p("| implementation | rate | asked | achieved | p50 | p90 | p99 | p99.9 | max | p99 uncorrected | server CPU/req | peak RSS | worst GC pause | worst hiccup |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, c := range impls {
		if c.State != results.CaseOK {
			continue
		}
		for _, rate := range []string{"max", "low", "medium", "high"} {
			name := suite.LoadName(c.Impl, rate)
			if len(run.Values(name, units.Throughput)) == 0 {
				continue
			}
			asked := "closed loop"
			if rate != "max" {
				asked = med(run, name, units.TargetRate, rps)
			}
			p("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", c.Impl, rate, asked,
				med(run, name, units.Throughput, rps), med(run, name, units.LatP50, units.Duration),
				med(run, name, units.LatP90, units.Duration),
				med(run, name, units.LatP99, units.Duration), med(run, name, units.LatP999, units.Duration),
				worst(run, name, units.LatMax, units.Duration), med(run, name, units.LatP99Uncorr, units.Duration),
				med(run, name, units.CPUPerReq, units.Duration), med(run, name, units.PeakRSS, units.Bytes),
				worst(run, name, units.GCPauseMax, units.Duration), worst(run, name, units.HiccupMax, units.Duration))
		}
	}
	p("\n")
	for _, c := range impls {
		for _, n := range c.Notes {
			p("- %s: %s\n", c.Impl, n)
		}
	}
	p("\n")
}

func rps(v float64) string { return fmt.Sprintf("%.4g/s", v) }

// worst is the largest sample, for maxima (a median of maxima would hide the worst).
func worst(run *results.Run, name, unit string, format func(float64) string) string {
	vals := run.Values(name, unit)
	if len(vals) == 0 {
		return ""
	}
	m := vals[0]
	for _, v := range vals {
		m = max(m, v)
	}
	return format(m)
}

// matmul writes GFLOPS by size for every implementation, and ratios at each size to naive C,
// to OpenBLAS and to the machine's estimated peak.
func matmul(p func(string, ...any), run *results.Run) {
	type key struct {
		impl   string
		n, thr int64
	}
	gflops := map[key]float64{}
	var impls []string
	var sizes, threads []int64
	for _, c := range run.Manifest.Cases {
		if c.Workload != "matmul" || c.State != results.CaseOK {
			continue
		}
		vals := run.Values(c.Name, units.PerOp)
		if len(vals) == 0 {
			continue
		}
		n := c.Params.Size
		gflops[key{c.Impl, n, c.Params.Threads}] = 2 * math.Pow(float64(n), 3) / stats.Summarize(vals).Center
		if !slices.Contains(impls, c.Impl) {
			impls = append(impls, c.Impl)
		}
		if !slices.Contains(sizes, n) {
			sizes = append(sizes, n)
		}
		if !slices.Contains(threads, c.Params.Threads) {
			threads = append(threads, c.Params.Threads)
		}
	}
	if len(gflops) == 0 {
		return
	}
	slices.Sort(sizes)
	peak := run.Manifest.Host.PeakGFLOPS
	p("## Matrix multiply\n\n")
	p("GFLOPS (2n³ / median time per multiply) by size. Every implementation's result was checked against the first before timing.")
	if peak > 0 {
		p(" Machine peak, estimated: %.1f GFLOPS (%s); one thread's share is peak / CPUs.", peak, run.Manifest.Host.PeakHow)
	} else {
		p(" Machine peak: %s.", run.Manifest.Host.PeakHow)
	}
	p("\n\n")
	for _, thr := range threads {
		p("%d thread(s):\n\n| implementation |", thr)
		for _, n := range sizes {
			p(" n=%d |", n)
		}
		p(" at n=%d: vs naive C | vs OpenBLAS | of peak |\n|---|", sizes[len(sizes)-1])
		for range sizes {
			p("---|")
		}
		p("---|---|---|\n")
		big := sizes[len(sizes)-1]
		share := peak
		if cpus := run.Manifest.Host.CPUs; cpus > 0 && int(thr) < cpus {
			share = peak * float64(thr) / float64(cpus)
		}
		for _, impl := range impls {
			p("| %s |", impl)
			for _, n := range sizes {
				if g, ok := gflops[key{impl, n, thr}]; ok {
					p(" %.3g |", g)
				} else {
					p(" |")
				}
			}
			g := gflops[key{impl, big, thr}]
			ratio := func(ref string) string {
				r := gflops[key{ref, big, thr}]
				if g == 0 || r == 0 {
					return ""
				}
				return strconv.FormatFloat(g/r, 'f', 2, 64) + "x"
			}
			ofPeak := "unknown"
			if share > 0 && g > 0 {
				ofPeak = strconv.FormatFloat(100*g/share, 'f', 0, 64) + "%"
			}
			p(" %s | %s | %s |\n", ratio("c-naive"), ratio("c-openblas"), ofPeak)
		}
		p("\n")
	}
}

// ffi writes the cost of one call per implementation.
func ffi(p func(string, ...any), run *results.Run) {
	var rows []string
	for _, c := range run.Manifest.Cases {
		if c.Workload != "ffi" || c.State != results.CaseOK {
			continue
		}
		rows = append(rows, fmt.Sprintf("| %s | %s |", c.Impl, med(run, c.Name, units.PerOp, units.Duration)))
	}
	if len(rows) == 0 {
		return
	}
	p("## Calling a trivial C function\n\n| implementation | per call |\n|---|---|\n%s\n\n", strings.Join(rows, "\n"))
}
