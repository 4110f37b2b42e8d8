// Package gate decides whether a candidate regressed against a baseline, with known error
// rates (docs/fleet.md measures them on the project's machine).
//
//   - Broken is worse than slow: a case the baseline ran ok that the candidate lacks, or did not
//     finish ok, fails the gate by name; a run that did not finish, or a folder whose files
//     disagree, cannot be judged (ErrInput).
//   - The round is the unit: when the sides come in interleaved rounds (CI runs base, head,
//     base, head, ...), each metric's change is the per-round ratio of medians, with Student's
//     t interval over the rounds. Otherwise the samples are pooled (Mann-Whitney U, interval
//     from the medians' intervals) and the summary warns that only the control guards them.
//   - A control (Controls: a fixed C peer's time) that moved beyond its noise, with the other
//     cases' times moving alike, means the machine changed: the gate cannot judge (exit 2).
//   - Multiplicity: by default only each workload's primary metrics are gated (exec time,
//     time per op, peak RSS) and exact sizes; --metric adds units. Significance is decided
//     with the Benjamini-Hochberg procedure at alpha across the gated metrics, and a metric
//     regresses only when its whole interval lies beyond the threshold. A baseline of 0 is
//     not a percentage: such a metric is not gated.
//   - A bimodal metric (Unstable) is "unstable, not gated", with the remedy.
//
// Units assumed exact (binary sizes) are compared exactly: any change worse than the
// threshold fails. A checksum that changed is a regression of correctness, whatever the
// threshold. The direction of "worse" comes from the Unit lines of samples.bench.
package gate

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/gorustbench/gorustbench/bench/compare"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/stats"
	"github.com/gorustbench/gorustbench/bench/units"
)

// Options configure a gate.
type Options struct {
	Threshold float64  // 0.05 for 5%
	Alpha     float64  // false discovery rate across the gated metrics (and each interval's 1-confidence)
	Metrics   []string // units gated besides the primary ones (PrimaryUnits)
	Filter    string   // a benchproc filter on the benchmarks, "" for all
}

// PrimaryUnits are gated by default, in every workload that has them. System CPU time and
// the collectors' counters are never gated unless named: they are small, noisy, and often 0.
var PrimaryUnits = []string{units.Exec, units.PerOp, units.PeakRSS}

// Status of one gated line.
const (
	Pass           = "pass"
	Regressed      = "REGRESSED"
	Improved       = "improved"
	Unchanged      = "no significant change"
	StatusUnstable = "unstable, not gated"
	NotGated       = "not gated"
)

// Line is one metric judged.
type Line struct {
	Row    *compare.Row
	Est    Estimate
	Status string
	Why    string
}

// Result is the gate's decision.
type Result struct {
	Table *compare.Table
	Lines []Line
	// Pairs are the interleaved rounds when the runs came in them, else nil.
	Pairs Pairs
	// Warnings are what a reader of the decision must know: runs not interleaved, no control.
	Warnings []string
	// Control says what the control showed, one line; Machine is set when the machine changed
	// between the sides, beyond the control's noise: then the gate cannot judge (exit 2).
	Control, Machine string
	Skipped          []string // metrics with one value a run, not gated unless selected
	Checksum         []string // changed checksums: "Matmul/impl=go-naive/...: 1a2b.. -> 3c4d.."
	// Broken are the cases the baseline ran ok that the candidate lacks or did not finish ok,
	// each with what happened: "Hello/impl=c-std: failed in candidate run X (timed out after 10s)".
	Broken []string
	Failed bool
}

// Exit is the gate's exit status: 1 for a broken case, 2 when the machine changed (nothing
// can be judged), 1 for a regression or a changed checksum, else 0.
func (r *Result) Exit() int {
	switch {
	case len(r.Broken) > 0:
		return 1
	case r.Machine != "":
		return 2
	case r.Failed:
		return 1
	}
	return 0
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

// gated reports whether a row is gated under o: a unit with a direction that is primary,
// exact, or named.
func gated(r *compare.Row, o Options) bool {
	if r.Better == 0 {
		return false // no direction: informational (target rate, ...)
	}
	return r.Exact || slices.Contains(PrimaryUnits, r.Unit) || slices.Contains(o.Metrics, r.Unit)
}

// Judge compares the candidate's rounds with the baseline's. It returns an input error
// (ErrInput) when a run did not finish, when a selected metric has too few samples on either
// side to decide, or when nothing is selected. A case the baseline ran that the candidate
// lacks, or did not finish ok, fails the gate by name (Result.Broken), before any number.
func Judge(baseRounds, candRounds []*results.Run, o Options) (*Result, error) {
	if o.Alpha == 0 {
		o.Alpha = 0.05
	}
	if err := finished(baseRounds, candRounds); err != nil {
		return nil, err
	}
	baseline, candidate := compare.Merge(baseRounds), compare.Merge(candRounds)
	t, err := compare.Build([]compare.Column{{Label: "baseline", Run: baseline}, {Label: "candidate", Run: candidate}},
		compare.Options{Filter: o.Filter, Alpha: o.Alpha})
	if err != nil {
		return nil, inputErr("%v", err)
	}
	res := &Result{Table: t, Broken: broken(baseRounds, candRounds)}
	pairs, why := Interleave(baseRounds, candRounds)
	res.Pairs = pairs
	if pairs != nil && len(pairs) < 3 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("only %d rounds: the interval over rounds (Student's t with %d degree of freedom) is too wide to detect much; 'gorustbench gate --calibrate' says how many rounds this machine needs", len(pairs), len(pairs)-1))
	}
	if pairs == nil {
		res.Warnings = append(res.Warnings, fmt.Sprintf("the runs were not interleaved (%s): samples are pooled, and only the control guards against a machine that changed between the runs; run baseline and candidate in alternating rounds (examples/ci)", why))
	}
	short, need, err := res.lines(pairs, o)
	if err != nil {
		return nil, err
	}
	res.decide(o)
	res.Control, res.Machine, res.Warnings = control(res, pairs, o, res.Warnings)
	if len(short) > 0 && !res.Failed && len(res.Broken) == 0 && res.Machine == "" {
		more := ""
		if len(short) > 3 {
			more = fmt.Sprintf(" and %d more", len(short)-3)
			short = short[:3]
		}
		return nil, inputErr("too few samples to decide at alpha %g: %s%s; need at least %d per side (run with --repeat %d, or run interleaved rounds and give --baseline and --candidate once per round)",
			o.Alpha, strings.Join(short, ", "), more, need, need)
	}
	res.Checksum = checksums(baseline, candidate)
	res.Failed = res.Failed || len(res.Checksum) > 0 || len(res.Broken) > 0
	return res, nil
}

// finished is an input error unless each side has runs and every run finished.
func finished(baseRounds, candRounds []*results.Run) error {
	for _, side := range []struct {
		name string
		runs []*results.Run
	}{{"baseline", baseRounds}, {"candidate", candRounds}} {
		if len(side.runs) == 0 {
			return inputErr("no %s run", side.name)
		}
		for _, r := range side.runs {
			if why := r.Finished(); why != "" {
				return inputErr("%s %s: %s; a gate judges whole runs only", side.name, r.Path, why)
			}
		}
	}
	return nil
}

// lines makes a Line of every gated row both sides measured ok: unstable or not gated (with
// why), or with its estimated change. short are the pooled rows with too few samples for the
// U test at alpha, and need the samples per side they would take. A --metric no row has is
// an input error, as is nothing to gate.
func (res *Result) lines(pairs Pairs, o Options) (short []string, need int, err error) {
	known := map[string]bool{}
	for _, r := range res.Table.Rows {
		known[r.Unit] = true
		if !gated(r, o) {
			continue
		}
		b, c := r.Cells[0], r.Cells[1]
		if b.Missing() || c.Missing() || b.Partial || c.Partial {
			continue // a case only one side ran, or that failed: Broken says so
		}
		if !r.Exact && len(b.Values) == 1 && len(c.Values) == 1 && !slices.Contains(o.Metrics, r.Unit) {
			res.Skipped = append(res.Skipped, r.Name+" "+r.Unit)
			continue
		}
		l := Line{Row: r}
		l.Status, l.Why = stability(r)
		if l.Status == "" {
			l.Est = estimate(r, pairs, o.Alpha)
			if d := r.Deltas[1]; pairs == nil && !r.Exact && d.Need > 0 {
				short = append(short, fmt.Sprintf("%s %s (n=%d+%d)", r.Name, r.Unit, len(b.Values), len(c.Values)))
				need = d.Need
			}
		}
		res.Lines = append(res.Lines, l)
	}
	for _, m := range o.Metrics {
		if !known[m] {
			return nil, 0, inputErr("--metric %s: neither run has samples in that unit", m)
		}
	}
	if len(res.Lines) == 0 && len(res.Broken) == 0 {
		return nil, 0, inputErr("no metric is in both runs (different workloads or profiles?)")
	}
	return short, need, nil
}

// stability is a row's status before any test: not gated when the baseline is 0 (a change
// from 0 is not a percentage), unstable when either side's samples are (Unstable); "" for a
// row to test, and for an exact one.
func stability(r *compare.Row) (status, why string) {
	b, c := r.Cells[0], r.Cells[1]
	switch {
	case r.Exact:
	case stats.Median(b.Values) == 0:
		return NotGated, "the baseline is 0: a change from 0 is not a percentage"
	default:
		for _, side := range [][]float64{b.Values, c.Values} {
			if u := Unstable(side, func(v float64) string { return units.Format(r.Unit, v) }); u != "" {
				status, why = StatusUnstable, u+"; remedy: a larger size (longer runs), or more rounds"
			}
		}
	}
	return status, why
}

// decide judges every tested line, with Benjamini-Hochberg across them at o.Alpha deciding
// which changes are significant, and marks the result failed if one regressed.
func (res *Result) decide(o Options) {
	var ps []float64
	var idx []int
	for i, l := range res.Lines {
		if l.Status == "" && !l.Row.Exact {
			ps, idx = append(ps, pWorse(l.Row, l.Est)), append(idx, i)
		}
	}
	disc := BenjaminiHochberg(ps, o.Alpha)
	significant := map[int]bool{}
	for j, i := range idx {
		significant[i] = disc[j]
	}
	for i := range res.Lines {
		l := &res.Lines[i]
		if l.Status == "" {
			judge(l, significant[i], o)
		}
		res.Failed = res.Failed || l.Status == Regressed
	}
}

// estimate is the row's change: paired by round when the runs were interleaved, else pooled
// (compare's Mann-Whitney U and the ratio of the medians' intervals' ends).
func estimate(r *compare.Row, pairs Pairs, alpha float64) Estimate {
	d := r.Deltas[1]
	if pairs != nil && !r.Exact {
		if e := paired(pairs, r.Name, r.Unit, alpha); !math.IsNaN(e.P) {
			return e
		}
	}
	return Estimate{Ratio: d.Ratio, Lo: d.Lo, Hi: d.Hi, P: d.P, Method: "pooled samples, Mann-Whitney U"}
}

// pWorse is the one-sided p value of "no change" against "worse": the gate fails only on
// worse, so the false discovery rate is controlled over that question. Half the two-sided p
// when the estimate lies on the worse side, else 1 - half.
func pWorse(r *compare.Row, e Estimate) float64 {
	if math.IsNaN(e.P) || math.IsNaN(e.Ratio) {
		return math.NaN()
	}
	if (e.Ratio > 1) == (r.Better < 0) && e.Ratio != 1 {
		return e.P / 2
	}
	return 1 - e.P/2
}

// judge sets a tested line's status; significant says whether its worse-side p value is a
// discovery of the Benjamini-Hochberg procedure across the gated lines.
func judge(l *Line, significant bool, o Options) {
	r, e := l.Row, l.Est
	l.Status = Pass
	worse := func(ratio float64) bool { // beyond the threshold in the bad direction
		if r.Better < 0 {
			return ratio > 1+o.Threshold
		}
		return ratio < 1-o.Threshold
	}
	pct := fmt.Sprintf("%+.1f%%", 100*(e.Ratio-1))
	interval := ""
	if !math.IsNaN(e.Lo) && !math.IsNaN(e.Hi) {
		interval = fmt.Sprintf(" [%+.1f%%, %+.1f%%]", 100*(e.Lo-1), 100*(e.Hi-1))
	}
	rounds := ""
	if e.Rounds > 0 {
		rounds = fmt.Sprintf(", %d rounds", e.Rounds)
	}
	if r.Exact {
		switch {
		case e.Ratio == 1 || math.IsNaN(e.Ratio):
			l.Status = Unchanged
		case worse(e.Ratio):
			l.Status, l.Why = Regressed, fmt.Sprintf("%s, exact, beyond the %g%% threshold", pct, 100*o.Threshold)
		case (e.Ratio > 1) == (r.Better > 0):
			l.Status, l.Why = Improved, pct+", exact"
		default:
			l.Why = pct + ", exact, worse but within the threshold"
		}
		return
	}
	if isWorse := (e.Ratio > 1) == (r.Better < 0); !isWorse || !significant {
		// Improvements are reported, not gated: two-sided at alpha, without the correction.
		if !isWorse && e.P < o.Alpha {
			l.Status, l.Why = Improved, fmt.Sprintf("%s%s (p=%.3f%s)", pct, interval, e.P, rounds)
			return
		}
		l.Status, l.Why = Unchanged, fmt.Sprintf("%s%s (p=%.3f%s)", pct, interval, e.P, rounds)
		return
	}
	// Worse with significance: is the whole interval beyond the threshold?
	near := e.Lo // the end of the interval closest to no change
	if r.Better > 0 {
		near = e.Hi
	}
	if math.IsNaN(near) {
		near = e.Ratio
	}
	if worse(near) {
		l.Status = Regressed
		l.Why = fmt.Sprintf("%s%s (one-sided p=%.2g%s), all beyond %g%%", pct, interval, pWorse(r, e), rounds, 100*o.Threshold)
		return
	}
	l.Why = fmt.Sprintf("%s%s (one-sided p=%.2g%s): worse, but not all beyond %g%%", pct, interval, pWorse(r, e), rounds, 100*o.Threshold)
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
