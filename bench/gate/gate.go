// Package gate decides whether a candidate run regressed against a baseline. A metric
// regresses when its change is worse with significance (Mann-Whitney U at alpha, from
// bench/compare) and the whole interval of the change lies beyond the threshold: a slowdown
// of 5% must be at least 5% at the favourable end of the interval. The direction of "worse"
// comes from the Unit lines of samples.bench. Units assumed exact (binary sizes) are compared
// exactly: any change worse than the threshold fails. A checksum that changed between the two
// runs is a regression of correctness, whatever the threshold.
package gate

import (
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/gorustbench/gorustbench/bench/compare"
	"github.com/gorustbench/gorustbench/bench/results"
)

// Options configure a gate.
type Options struct {
	Threshold float64  // 0.05 for 5%
	Alpha     float64  // significance level of the test
	Metrics   []string // units to gate on; empty: every unit with a known direction
	Filter    string   // a benchproc filter on the benchmarks, "" for all
}

// Status of one gated line.
const (
	Pass      = "pass"
	Regressed = "REGRESSED"
	Improved  = "improved"
	Unchanged = "no significant change"
)

// Line is one metric judged.
type Line struct {
	Row    *compare.Row
	Status string
	Why    string
}

// Result is the gate's decision.
type Result struct {
	Table    *compare.Table
	Lines    []Line
	Skipped  []string // metrics with one value a run, not gated unless selected
	Checksum []string // changed checksums: "Matmul/impl=go-naive/...: 1a2b.. -> 3c4d.."
	// Broken are the cases the baseline ran ok that the candidate lacks or did not finish ok,
	// each with what happened: "Hello/impl=c-std: failed in run X (timed out after 10s)".
	Broken []string
	Failed bool
}

// ErrInput is wrapped by every error that means the input cannot be judged (exit 2).
var ErrInput = errors.New("unusable input")

func inputErr(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrInput, fmt.Sprintf(format, a...))
}

// Load reads run folders and pools them into one column; a missing, unreadable or broken
// folder (Rounds) is an input error.
func Load(paths []string) (*results.Run, error) {
	runs, err := Rounds(paths)
	if err != nil {
		return nil, err
	}
	return compare.Merge(runs), nil
}

// Rounds reads the run folders of one side, one per round, in the order given. A folder whose
// files disagree (a truncated samples.bench, a manifest that counts other samples) is an input
// error: judging what is left of it would call a broken run fine.
func Rounds(paths []string) ([]*results.Run, error) {
	if len(paths) == 0 {
		return nil, inputErr("no run folder given")
	}
	var runs []*results.Run
	for _, p := range paths {
		r, err := results.Load(p)
		if err != nil {
			return nil, inputErr("%v", err)
		}
		if err := r.Check(); err != nil {
			return nil, inputErr("%v", err)
		}
		runs = append(runs, r)
	}
	return runs, nil
}

// Judge compares the candidate's rounds with the baseline's. It returns an input error
// (ErrInput) when a run did not finish, when a selected metric has too few samples on either
// side to decide, or when nothing is selected. A case the baseline ran that the candidate
// lacks, or did not finish ok, fails the gate by name (Result.Broken), before any number.
func Judge(baseRounds, candRounds []*results.Run, o Options) (*Result, error) {
	if o.Alpha == 0 {
		o.Alpha = 0.05
	}
	for _, side := range []struct {
		name string
		runs []*results.Run
	}{{"baseline", baseRounds}, {"candidate", candRounds}} {
		if len(side.runs) == 0 {
			return nil, inputErr("no %s run", side.name)
		}
		for _, r := range side.runs {
			if why := r.Finished(); why != "" {
				return nil, inputErr("%s %s: %s; a gate judges whole runs only", side.name, r.Path, why)
			}
		}
	}
	baseline, candidate := compare.Merge(baseRounds), compare.Merge(candRounds)
	labels := []string{"baseline", "candidate"}
	t, err := compare.Build([]compare.Column{{Label: labels[0], Run: baseline}, {Label: labels[1], Run: candidate}},
		compare.Options{Filter: o.Filter, Alpha: o.Alpha})
	if err != nil {
		return nil, inputErr("%v", err)
	}
	res := &Result{Table: t, Broken: broken(baseRounds, candRounds)}
	res.Failed = len(res.Broken) > 0
	var short []string
	need := 0
	known := map[string]bool{}
	for _, r := range t.Rows {
		known[r.Unit] = true
		if len(o.Metrics) > 0 && !slices.Contains(o.Metrics, r.Unit) {
			continue
		}
		if r.Better == 0 {
			continue // no direction: informational (target rate, ...)
		}
		b, c := r.Cells[0], r.Cells[1]
		if !r.Exact && len(o.Metrics) == 0 && len(b.Values) == 1 && len(c.Values) == 1 {
			// One value a run (build times from build.json): nothing to test. Gated only when
			// asked for by --metric, and then it needs pooled runs.
			res.Skipped = append(res.Skipped, r.Name+" "+r.Unit)
			continue
		}
		if b.Missing() || c.Missing() || b.Partial || c.Partial {
			continue // a case only one side ran, or that failed: reported by the run itself
		}
		l := judge(r, o)
		if d := r.Deltas[1]; !d.Exact && d.Need > 0 && l.Status != Regressed {
			short = append(short, fmt.Sprintf("%s %s (n=%d+%d)", r.Name, r.Unit, len(b.Values), len(c.Values)))
			need = d.Need
		}
		res.Lines = append(res.Lines, l)
		res.Failed = res.Failed || l.Status == Regressed
	}
	for _, m := range o.Metrics {
		if !known[m] {
			return nil, inputErr("--metric %s: neither run has samples in that unit", m)
		}
	}
	if len(res.Lines) == 0 && len(res.Broken) == 0 {
		return nil, inputErr("no metric is in both runs (different workloads or profiles?)")
	}
	if len(short) > 0 && !res.Failed && len(res.Broken) == 0 {
		more := ""
		if len(short) > 3 {
			more = fmt.Sprintf(" and %d more", len(short)-3)
			short = short[:3]
		}
		return nil, inputErr("too few samples to decide at alpha %g: %s%s; need at least %d per side (run with --repeat %d, or pool runs by giving --baseline and --candidate several folders)",
			o.Alpha, strings.Join(short, ", "), more, need, need)
	}
	res.Checksum = checksums(baseline, candidate)
	res.Failed = res.Failed || len(res.Checksum) > 0
	return res, nil
}

func judge(r *compare.Row, o Options) Line {
	d := r.Deltas[1]
	l := Line{Row: r, Status: Pass}
	worse := func(ratio float64) bool { // beyond the threshold in the bad direction
		if r.Better < 0 {
			return ratio > 1+o.Threshold
		}
		return ratio < 1-o.Threshold
	}
	pct := fmt.Sprintf("%+.1f%%", 100*d.Change())
	interval := ""
	if !math.IsNaN(d.Lo) && !math.IsNaN(d.Hi) {
		interval = fmt.Sprintf(" [%+.1f%%, %+.1f%%]", 100*(d.Lo-1), 100*(d.Hi-1))
	}
	if math.IsInf(d.Ratio, 0) {
		pct = "from 0"
	}
	if d.Exact {
		switch {
		case !d.Significant:
			l.Status = Unchanged
		case worse(d.Ratio):
			l.Status, l.Why = Regressed, fmt.Sprintf("%s, exact, beyond the %g%% threshold", pct, 100*o.Threshold)
		case (d.Ratio > 1) == (r.Better > 0):
			l.Status, l.Why = Improved, pct+", exact"
		default:
			l.Why = pct + ", exact, worse but within the threshold"
		}
		return l
	}
	if !d.Significant {
		l.Status, l.Why = Unchanged, fmt.Sprintf("p=%.3f", d.P)
		return l
	}
	isWorse := (d.Ratio > 1) == (r.Better < 0)
	if !isWorse {
		l.Status, l.Why = Improved, fmt.Sprintf("%s (p=%.3f)", pct, d.P)
		return l
	}
	// Worse with significance: is the whole interval beyond the threshold?
	near := d.Lo // the end of the interval closest to no change
	if r.Better > 0 {
		near = d.Hi
	}
	if math.IsNaN(near) {
		near = d.Ratio
	}
	if worse(near) {
		l.Status = Regressed
		l.Why = fmt.Sprintf("%s%s (p=%.3f), all beyond %g%%", pct, interval, d.P, 100*o.Threshold)
		return l
	}
	l.Why = fmt.Sprintf("%s%s (p=%.3f): worse, but not all beyond %g%%", pct, interval, d.P, 100*o.Threshold)
	return l
}

// broken lists the cases every baseline round ran ok that some candidate round lacks, or ran
// without finishing ok. Such a case has fewer samples or none: judging the rest would pass a
// candidate whose peer hangs or crashes.
func broken(base, cand []*results.Run) []string {
	var names []string
	ok := map[string]int{}
	for _, r := range base {
		for _, c := range r.Manifest.Cases {
			if c.State == results.CaseOK {
				if ok[c.Name] == 0 {
					names = append(names, c.Name)
				}
				ok[c.Name]++
			}
		}
	}
	var out []string
	for _, name := range names {
		if ok[name] < len(base) {
			continue // not ok in every baseline round: the baseline cannot vouch for it
		}
		for _, r := range cand {
			var st *results.CaseState
			for _, c := range r.Manifest.Cases {
				if c.Name == name {
					st = c
				}
			}
			switch {
			case st == nil:
				out = append(out, fmt.Sprintf("%s: missing from candidate run %s (the baseline ran it)", name, r.Path))
			case st.State != results.CaseOK:
				why := ""
				if st.Reason != "" {
					why = " (" + st.Reason + ")"
				}
				out = append(out, fmt.Sprintf("%s: %s in candidate run %s%s", name, st.State, r.Path, why))
			default:
				continue
			}
			break
		}
	}
	return out
}

func checksums(a, b *results.Run) []string {
	base := map[string]string{}
	for _, c := range a.Manifest.Cases {
		if c.Checksum != "" {
			base[c.Name] = c.Checksum
		}
	}
	var out []string
	for _, c := range b.Manifest.Cases {
		if old, ok := base[c.Name]; ok && c.Checksum != "" && c.Checksum != old {
			out = append(out, fmt.Sprintf("%s: checksum %s -> %s", c.Name, old, c.Checksum))
		}
	}
	return out
}

// Markdown writes the decision for a pull-request comment: the verdict first, the
// regressions, then every gated line in a collapsed table.
func Markdown(w io.Writer, r *Result, baseline, candidate *results.Run, o Options) {
	var reg, imp []Line
	for _, l := range r.Lines {
		switch l.Status {
		case Regressed:
			reg = append(reg, l)
		case Improved:
			imp = append(imp, l)
		}
	}
	if r.Failed {
		fmt.Fprintf(w, "## ❌ gorustbench gate: %d regression(s)\n\n", len(reg)+len(r.Checksum)+len(r.Broken))
	} else {
		fmt.Fprintf(w, "## ✅ gorustbench gate: no regression\n\n")
	}
	fmt.Fprintf(w, "Threshold %g%%, alpha %g, %d metrics gated (%d improved).\n\n", 100*o.Threshold, o.Alpha, len(r.Lines), len(imp))
	fmt.Fprintf(w, "- baseline: %s, commit %s (%s)\n- candidate: %s, commit %s (%s)\n\n",
		baseline.Manifest.Machine(), baseline.Manifest.GitCommit, baseline.Path, candidate.Manifest.Machine(), candidate.Manifest.GitCommit, candidate.Path)
	if len(r.Broken) > 0 {
		fmt.Fprintf(w, "Broken in the candidate (worse than slow):\n\n")
		for _, b := range r.Broken {
			fmt.Fprintf(w, "- %s\n", b)
		}
		fmt.Fprintln(w)
	}
	if len(reg)+len(r.Checksum) > 0 {
		fmt.Fprintf(w, "| benchmark | unit | baseline | candidate | change |\n| --- | --- | --- | --- | --- |\n")
		for _, l := range reg {
			fmt.Fprintf(w, "| `%s` | %s | %s | %s | %s |\n", l.Row.Name, l.Row.Unit, compare.CellText(l.Row.Cells[0], l.Row.Unit), compare.CellText(l.Row.Cells[1], l.Row.Unit), l.Why)
		}
		for _, c := range r.Checksum {
			fmt.Fprintf(w, "| %s | checksum | | | the output changed |\n", c)
		}
		fmt.Fprintln(w)
	}
	if len(r.Skipped) > 0 {
		fmt.Fprintf(w, "Not gated (one value a run; select them with --metric and pool runs): %s.\n\n", strings.Join(r.Skipped, ", "))
	}
	fmt.Fprintf(w, "<details><summary>Every gated metric</summary>\n\n| benchmark | unit | baseline | candidate | status |\n| --- | --- | --- | --- | --- |\n")
	for _, l := range r.Lines {
		st := l.Status
		if l.Why != "" {
			st += ": " + l.Why
		}
		fmt.Fprintf(w, "| `%s` | %s | %s | %s | %s |\n", l.Row.Name, l.Row.Unit, compare.CellText(l.Row.Cells[0], l.Row.Unit), compare.CellText(l.Row.Cells[1], l.Row.Unit), st)
	}
	fmt.Fprintf(w, "\n</details>\n")
}
