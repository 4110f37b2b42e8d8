// Package report turns a run folder into what a person reads: report.md with the verdict on
// every claim (citing numbers, machine and n), the cases and their states, and summaries of
// every measurement; and verdicts.json for machines.
package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/gorustbench/gorustbench/bench/claims"
	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/plot"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/suite"
	"github.com/gorustbench/gorustbench/bench/summary"
	"github.com/gorustbench/gorustbench/bench/units"
)

// Options say what Write writes.
type Options struct {
	Format string // the charts' file format: "svg" (the default) or "png"
	// Out, when set, is a folder for the charts alone (a write-up that wants only the
	// figures): nothing is written into the run folder.
	Out string
}

// WriteFolder loads the run at dir and writes report.md, report.html, verdicts.json and
// charts/ (SVG) into it. It returns the report's path.
func WriteFolder(dir string) (string, error) { return Write(dir, Options{}) }

// Write regenerates a run's report from its stored samples only: the same run gives the same
// bytes. It returns the path of report.md, or of the charts' folder when o.Out is set.
func Write(dir string, o Options) (string, error) {
	if o.Format == "" {
		o.Format = "svg"
	}
	run, err := results.Load(dir)
	if err != nil {
		return "", err
	}
	if err := run.Check(); err != nil { // a broken folder never replaces a good report
		return "", fmt.Errorf("%v; nothing was written (an earlier report in %s stays as it was)", err, dir)
	}
	t, err := summary.Of(run)
	if err != nil {
		return "", err
	}
	if o.Out != "" {
		_, err := plot.Write(o.Out, t, o.Format)
		return o.Out, err
	}
	verdicts := claims.Evaluate(t)
	js, err := json.MarshalIndent(verdicts, "", "  ")
	if err != nil {
		return "", err
	}
	if err := results.WriteFileAtomic(filepath.Join(dir, "verdicts.json"), append(js, '\n')); err != nil {
		return "", err
	}
	charts, err := plot.Write(filepath.Join(dir, "charts"), t, o.Format)
	var skipped *plot.Skipped
	if errors.As(err, &skipped) {
		err = nil // the report says which charts are missing, and why
	}
	if err != nil {
		return "", fmt.Errorf("drawing charts: %w", err)
	}
	// charts/ holds this report's charts only: a chart an earlier version or format drew goes.
	keep := map[string]bool{}
	for _, c := range charts {
		keep[c.File] = true
	}
	for _, ext := range plot.Formats {
		old, _ := filepath.Glob(filepath.Join(dir, "charts", "*."+ext))
		for _, f := range old {
			if !keep[filepath.Base(f)] {
				if err := os.Remove(f); err != nil {
					return "", err
				}
			}
		}
	}
	var b strings.Builder
	overview := ""
	var others []plot.Chart
	for _, c := range charts {
		if c.Name == plot.OverviewName {
			overview = c.File
		} else {
			others = append(others, c)
		}
	}
	Markdown(&b, t, verdicts, overview)
	if len(others) > 0 {
		b.WriteString("\n## Charts\n\nEach chart draws every sample (small dots), the median (the implementation's marker) and its confidence interval (bar), with the report's claimed figure as a shaded band labelled with its line. Colour: the language (Go teal, Rust red, C grey); marker: the variant. report.html shows each chart under the claim it judges.\n")
	}
	for _, c := range others {
		fmt.Fprintf(&b, "\n### %s\n\n![%s](charts/%s)\n\n%s\n", c.Title, c.Title, c.File, c.Caption)
	}
	if skipped != nil {
		fmt.Fprintf(&b, "\n> Charts not drawn (the numbers above are unaffected): %s\n", cell(strings.Join(skipped.Charts, "; ")))
	}
	path := filepath.Join(dir, "report.md")
	if err := results.WriteFileAtomic(path, []byte(b.String())); err != nil {
		return "", err
	}
	page, err := HTML(t, verdicts, charts, b.String())
	if err != nil {
		return "", err
	}
	return path, results.WriteFileAtomic(filepath.Join(dir, "report.html"), page)
}

// Markdown writes the report of a run's summary and its verdicts.
// overview is the file name of the overview chart in charts/ ("" when it was not drawn).
func Markdown(w io.Writer, t *summary.Table, verdicts []claims.Verdict, overview string) {
	m := &t.Run.Manifest
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }
	p("# gorustbench report: run %s\n\n", m.RunID)
	switch m.State {
	case results.StateInterrupted:
		p("> **This run was interrupted** (%s). Every sample taken before that is here: cases marked interrupted or failed keep the samples they took (counted below, marked `case-state` in samples.bench), a partial measurement.\n\n", m.StateReason)
	case results.StateRunning:
		p("> **This run never finished**: the harness was killed without a chance to say so. The samples here are those written up to then.\n\n")
	}
	p("Profile `%s`, started %s, commit `%s`. Raw samples: `samples.bench` (`benchstat -col /impl samples.bench`); machine, cases and reasons: `manifest.json`; each case's output: `logs/`.\n\n",
		m.Profile, m.Started.Format("2006-01-02 15:04 UTC"), m.GitCommit)
	heads := claims.Headlines(t)
	verdictSection(p, m, verdicts, heads, overview)
	runNotes(p, m.Notes)
	machineSection(p, m)
	calibrationMarkdown(w, t.Run)
	claimSections(p, verdicts, heads)
	casesSection(p, t)
	advice(p, t)
	for _, section := range sections {
		section(p, t)
	}
	buildSection(p, m.Build)
	p("## What the report claims that no benchmark can judge\n\n")
	p("| topic | lines | original | reason |\n|---|---|---|---|\n")
	for _, u := range claims.Unmeasurable {
		p("| %s | %s | %s | %s |\n", u.Topic, u.Lines, cell(u.Original), cell(u.Reason))
	}
}

// printf is how the report's sections write.
type printf func(format string, args ...any)

// verdictSection is the one-line-per-claim verdict table, with the overview chart and what
// the verdict words mean.
func verdictSection(p printf, m *results.Manifest, verdicts []claims.Verdict, heads []claims.Headline, overview string) {
	p("## Verdicts\n\n")
	p("Every claim of the report judged on this run, one line each: its headline figure with its interval, the verdict, and the parts that say otherwise; the claim's section below has every number.\n\n")
	if overview != "" {
		p("![%s](charts/%s)\n\n", overviewAlt, overview)
	}
	byClaim := map[string]claims.Headline{}
	for _, h := range heads {
		byClaim[h.Claim] = h
	}
	p("%s", verdictTableHeader)
	for _, v := range verdicts {
		p("%s\n", verdictRow(claims.Lookup(v.Claim), v, byClaim[v.Claim]))
	}
	p("\nMeasured on: %s.\n\n", m.Machine())
	p("The verdicts (`gorustbench claims` lists every claim with its rule): ")
	p("**holds** (the confidence interval lies inside the claimed range, or the claimed ordering is significant), **contradicted** (entirely outside, or the opposite ordering is significant), **inconclusive** (overlaps an edge, not significant, or below what the instrument resolves), **depends** (a claim judged on several fair pairings of implementations or builds, where one holds and another contradicts: the row says what each says), **not measured** (with the reason). ")
	p("Each interval is printed with the confidence it actually has (benchmath's distribution-free interval of the median: with 6 samples it is [min, max] at 96.9%%); ratios are medians of per-round ratios of interleaved runs. A claim with several parts holds only if every deciding part holds; informative parts are cited but never decide.\n\n")

}

// runNotes are what the harness noted on the run as a whole: sequential sampling's looks,
// peers a killed harness left and this one stopped, a calibration that could not run.
func runNotes(p printf, notes []string) {
	if len(notes) == 0 {
		return
	}
	p("## Notes on this run\n\n")
	for _, n := range notes {
		p("- %s\n", n)
	}
	p("\n")
}

// machineSection is the machine, toolchains, pinning, build and environment of the run.
func machineSection(p printf, m *results.Manifest) {
	p("## Machine\n\n")
	h := m.Host
	p("| | |\n|---|---|\n")
	p("| CPU | %s, %d logical CPUs, %.0f MHz nominal |\n", h.CPUModel, h.CPUs, h.CPUMHz)
	p("| memory | %s |\n| kernel | %s (%s/%s) |\n| governor | %s |\n", units.Bytes(float64(h.MemTotalB)), h.Kernel, h.OS, h.Arch, h.Governor)
	if h.Virtualized != "" {
		p("| virtualization | %s |\n", h.Virtualized)
	}
	if pb := m.Prebuilt; pb != nil {
		p("| peers | **prebuilt**: pack %s (%s), packed on %s at %s, commit %s |\n", pb.ID, pb.Source, pb.PackedOn, pb.PackedAt.Format("2006-01-02 15:04 UTC"), pb.GitCommit)
		p("| Go | %s (packing machine) |\n| Rust | %s (packing machine) |\n| C | %s (packing machine) |\n", pb.Toolchains.Go, pb.Toolchains.Rustc, pb.Toolchains.CC)
	} else {
		p("| Go | %s |\n| Rust | %s |\n| C | %s |\n", m.Toolchains.Go, m.Toolchains.Rustc, m.Toolchains.CC)
	}
	p("| pinning | %s |\n", m.Pinning)
	p("| build | %s |\n", map[bool]string{true: "native (C -O3 -march=native -fno-math-errno, Rust target-cpu=native, Go GOAMD64=v3)", false: "the languages' ordinary release settings (C -O2 -fno-math-errno: sqrt sets no errno, as in Go and Rust; cargo --release, go build)"}[m.Native])
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
}

// casesSection is every case's state, samples and medians (a server's are in its own section).
func casesSection(p printf, t *summary.Table) {
	m := &t.Run.Manifest
	p("## Cases\n\n")
	p("| case | state | samples | exec to exit | peer time per op | peak RSS | CPU (user+sys) |\n|---|---|---|---|---|---|---|\n")
	for _, c := range m.Cases {
		row := []string{c.Name, c.State, fmt.Sprint(c.Samples), "", "", "", ""}
		if c.Unverified != "" {
			row[1] += ", **unverified**: " + cell(c.Unverified)
		}
		k, _ := key.Parse(c.Name)
		// An interrupted case's samples are true, only fewer: its medians are shown too.
		measured := c.State == results.CaseOK || (c.State == results.CaseInterrupted && c.Samples > 0)
		server := suite.Lookup(c.Workload) != nil && suite.Lookup(c.Workload).Server
		if c.State == results.CaseOK && server {
			row[3] = "see the HTTP echo services below"
		} else if measured && !server {
			row[3] = med(t, k, units.Exec)
			row[4] = med(t, k, units.PerOp)
			row[5] = med(t, k, units.PeakRSS)
			row[6] = center(t, k, units.CPU)
		} else if c.Reason != "" {
			row[3] = cell(c.Reason)
		}
		p("| %s |\n", strings.Join(row, " | "))
	}
	p("\nMedians with their 95%% confidence interval (benchmath, distribution-free; stricter, as printed, for a case sequential sampling looked at again); fewer than 6 samples give no interval. Peak RSS is the peer's own VmHWM read from /proc just before it exits, never rusage.\n\n")

}

// buildSection is the build record: each language's build times and every binary's size.
func buildSection(p printf, b *results.Build) {
	if b == nil {
		return
	}
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

// med is a cell's median with its interval, or "" when the key has no samples in unit.
func med(t *summary.Table, k key.Key, unit string) string {
	c, ok := t.Cell(k, unit)
	if !ok {
		return ""
	}
	return summary.Text(c.Summary, unit)
}

// center is a cell's median alone.
func center(t *summary.Table, k key.Key, unit string) string {
	c, ok := t.Cell(k, unit)
	if !ok {
		return ""
	}
	return units.Format(unit, c.Summary.Center)
}

// cell makes text safe inside a Markdown table cell.
func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

// servers writes the echo services' start-up and load tables, when they ran.
func servers(p func(string, ...any), t *summary.Table) {
	var impls []*results.CaseState
	for _, c := range t.Run.Manifest.Cases {
		if c.Workload == suite.Echo.Name {
			impls = append(impls, c)
		}
	}
	if len(impls) == 0 {
		return
	}
	p("## HTTP echo services\n\n")
	p("Start-up (one worker thread on one CPU; warm, and cold where the page cache could be dropped):\n\n")
	p("| implementation | exec to READY | exec to first 200 | idle RSS | peak RSS | n |\n|---|---|---|---|---|---|\n")
	row := func(label string, k key.Key) {
		c, ok := t.Cell(k, units.Exec)
		if !ok {
			return
		}
		p("| %s | %s | %s | %s | %s | %d |\n", label, med(t, k, units.Exec), med(t, k, units.First200),
			med(t, k, units.IdleRSS), med(t, k, units.PeakRSS), len(c.Values))
	}
	for _, c := range impls {
		if c.State != results.CaseOK {
			p("| %s | %s: %s | | | | |\n", c.Impl, c.State, cell(c.Reason))
			continue
		}
		k := suite.Echo.Key(c.Impl, c.Params)
		row(c.Impl, k.Startup(false))
		row(c.Impl+", cold (page cache dropped)", k.Startup(true))
	}
	p("\nUnder load (server on one CPU, load generator on the others; latency from the scheduled send, coordinated omission corrected; `max` is a closed loop, the other rates are open loops at fractions of the slowest server's maximum, the same for every server):\n\n")
	p("| implementation | rate | asked | achieved | p50 | p90 | p99 | p99.9 | max | p99 uncorrected | server CPU/req | peak RSS | worst GC pause | worst hiccup | n |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	for _, c := range impls {
		if c.State != results.CaseOK {
			continue
		}
		for _, rate := range key.Levels {
			k := suite.Echo.Key(c.Impl, c.Params).AtLevel(rate)
			if _, ok := t.Cell(k, units.Throughput); !ok {
				continue
			}
			asked := "closed loop"
			if rate != key.Max {
				asked = med(t, k, units.TargetRate)
			}
			tc, _ := t.Cell(k, units.Throughput)
			p("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %d |\n", c.Impl, rate, asked,
				med(t, k, units.Throughput), med(t, k, units.LatP50), med(t, k, units.LatP90),
				med(t, k, units.LatP99), med(t, k, units.LatP999), worst(t, k, units.LatMax), med(t, k, units.LatP99Uncorr),
				med(t, k, units.CPUPerReq), med(t, k, units.PeakRSS), worst(t, k, units.GCPauseMax), worst(t, k, units.HiccupMax), len(tc.Values))
		}
	}
	p("\n")
	for _, c := range impls {
		windows := func(level string) int {
			c, _ := t.Cell(suite.Echo.Key(c.Impl, c.Params).AtLevel(key.Level(level)), units.Throughput)
			if c == nil {
				return 0
			}
			return len(c.Values)
		}
		for _, n := range foldNotes(c.Notes, windows) {
			p("- %s, %s\n", c.Impl, n)
		}
	}
	p("\n")
}

// worst is the largest sample, for maxima (a median of maxima would hide the worst).
func worst(t *summary.Table, k key.Key, unit string) string {
	c, ok := t.Cell(k, unit)
	if !ok {
		return ""
	}
	return units.Format(unit, slices.Max(c.Values))
}

// matmul writes GFLOPS by size for every implementation, and ratios at each size to naive C,
// to OpenBLAS and to the machine's estimated peak.
func matmul(p func(string, ...any), t *summary.Table) {
	type point struct {
		impl   string
		n, thr int64
	}
	gflops := map[point]float64{}
	var impls []string
	var sizes, threads []int64
	for _, k := range t.Keys(func(k key.Key) bool { return k.Bench == suite.Matmul.Title }) {
		c, ok := t.Cell(k, units.GFLOPS)
		if !ok || c.Partial {
			continue
		}
		gflops[point{k.Impl, k.Size.V, k.Threads.V}] = c.Summary.Center
		if !slices.Contains(impls, k.Impl) {
			impls = append(impls, k.Impl)
		}
		if !slices.Contains(sizes, k.Size.V) {
			sizes = append(sizes, k.Size.V)
		}
		if !slices.Contains(threads, k.Threads.V) {
			threads = append(threads, k.Threads.V)
		}
	}
	if len(gflops) == 0 {
		return
	}
	slices.Sort(sizes)
	h := t.Run.Manifest.Host
	peak := h.PeakGFLOPS
	p("## Matrix multiply\n\n")
	p("GFLOPS (2n³ / median time per multiply) by size. Every implementation's result was checked against the first before timing.")
	if peak > 0 {
		p(" Machine peak, estimated: %.1f GFLOPS (%s); one thread's share is peak / CPUs.", peak, h.PeakHow)
	} else {
		p(" Machine peak: %s.", h.PeakHow)
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
		if int(thr) < h.CPUs {
			share = peak * float64(thr) / float64(h.CPUs)
		}
		for _, impl := range impls {
			p("| %s |", impl)
			for _, n := range sizes {
				if g, ok := gflops[point{impl, n, thr}]; ok {
					p(" %.3g |", g)
				} else {
					p(" |")
				}
			}
			g := gflops[point{impl, big, thr}]
			ratio := func(ref string) string {
				r := gflops[point{ref, big, thr}]
				if g == 0 || r == 0 {
					return ""
				}
				return strconv.FormatFloat(g/r, 'f', 2, 64) + "x"
			}
			ofPeak := "unknown"
			if share > 0 && g > 0 {
				ofPeak = strconv.FormatFloat(100*g/share, 'f', 0, 64) + "%"
			}
			p(" %s | %s | %s |\n", ratio(suite.CNaive), ratio(suite.COpenBLAS), ofPeak)
		}
		p("\n")
	}
}

// ffi writes the cost of one call per implementation.
func ffi(p func(string, ...any), t *summary.Table) {
	var rows []string
	for _, k := range t.Keys(func(k key.Key) bool { return k.Bench == suite.FFI.Title }) {
		if c, ok := t.Cell(k, units.PerOp); ok && !c.Partial {
			rows = append(rows, fmt.Sprintf("| %s | %s |", k.Impl, med(t, k, units.PerOp)))
		}
	}
	if len(rows) == 0 {
		return
	}
	p("## Calling a trivial C function\n\n| implementation | per call |\n|---|---|\n%s\n\n", strings.Join(rows, "\n"))
}

// sections are the workloads' own parts of the report, in order; a workload adds its function
// here (workloads/README.md, "Adding a workload").
var sections = []func(p func(string, ...any), t *summary.Table){kernels, matmul, ffi, jsonSection, servers, fanout, footprint}

// headline units are the ones a case's statistics warnings are given for.
var headline = []string{units.PerOp, units.Exec, units.First200, units.Throughput, units.CPUPerReq}

// advice lists what the samples' statistics warn about and what to do, folded: one line per
// workload, unit and kind of warning, with how many cases it concerns, the range of its numbers
// over them, and the case where it is worst.
func advice(p func(string, ...any), t *summary.Table) {
	type group struct {
		bench, unit, template string
		nums                  [][]string
		worst                 string
		worstV                float64
	}
	var groups []*group
	for _, k := range t.Keys(nil) {
		if k.Bench == "Build" || k.Bench == "Binary" {
			continue
		}
		for _, u := range headline {
			c, ok := t.Cell(k, u)
			if !ok {
				continue
			}
			for _, a := range c.Summary.Advice() {
				tmpl := numberRe.ReplaceAllString(a, "\x00")
				var g *group
				for _, x := range groups {
					if x.bench == k.Bench && x.unit == u && x.template == tmpl {
						g = x
					}
				}
				if g == nil {
					g = &group{bench: k.Bench, unit: u, template: tmpl}
					groups = append(groups, g)
				}
				nums := numberRe.FindAllString(a, -1)
				g.nums = append(g.nums, nums)
				v := 0.0
				if len(nums) > 0 {
					v, _ = strconv.ParseFloat(nums[len(nums)-1], 64)
				}
				if g.worst == "" || v > g.worstV {
					g.worst, g.worstV = k.String(), v
				}
			}
		}
	}
	if len(groups) == 0 {
		return
	}
	p("### Statistics warnings\n\n")
	p("What the samples of these cases cannot support, and what to do about it (one line per workload, unit and warning; numbers as ranges over the cases):\n\n")
	for _, g := range groups {
		text := g.template
		for slot := 0; strings.Contains(text, "\x00"); slot++ {
			text = strings.Replace(text, "\x00", span(g.nums, slot), 1)
		}
		if len(g.nums) == 1 {
			p("- `%s` %s: %s\n", g.worst, g.unit, text)
			continue
		}
		p("- %s %s, %d cases: %s (worst: `%s`)\n", g.bench, g.unit, len(g.nums), text, g.worst)
	}
	p("\n")
}
