package compare

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/gorustbench/gorustbench/bench/claims"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/summary"
	"github.com/gorustbench/gorustbench/bench/units"
)

// CellText renders a median with its interval: "1.34 ms [1.31 ms, 1.38 ms]".
func CellText(c Cell, unit string) string {
	if c.Missing() {
		return "—"
	}
	s := c.Summary
	f := func(v float64) string { return units.Format(unit, v) }
	out := f(s.Center)
	if !math.IsNaN(s.Lo) && !math.IsNaN(s.Hi) && s.Lo != s.Hi {
		out = fmt.Sprintf("%s [%s, %s]", out, f(s.Lo), f(s.Hi))
	}
	out += fmt.Sprintf(" n=%d", len(c.Values))
	if c.Partial {
		out += " (partial)"
	}
	return out
}

// DeltaText renders a change like benchstat: "+5.2% (p=0.002)", "~ (p=0.400)", "exact +1.3%".
func DeltaText(d Delta, better int) string {
	if math.IsNaN(d.Ratio) {
		return "—"
	}
	pct := fmt.Sprintf("%+.1f%%", 100*d.Change())
	if math.IsInf(d.Ratio, 0) {
		pct = "from 0"
	}
	if d.Exact {
		if !d.Significant {
			return "= (exact)"
		}
		return pct + " (exact)"
	}
	if !d.Significant {
		s := fmt.Sprintf("~ (p=%.3f)", d.P)
		if d.Need > 0 {
			s += fmt.Sprintf(" need n≥%d", d.Need)
		}
		return s
	}
	word := ""
	switch {
	case better != 0 && (d.Change() > 0) == (better > 0):
		word = " better"
	case better != 0:
		word = " worse"
	}
	return fmt.Sprintf("%s%s (p=%.3f)", pct, word, d.P)
}

func header(t *Table) []string {
	h := []string{"benchmark", "unit"}
	for i, c := range t.Columns {
		h = append(h, c.Label)
		if i > 0 {
			h = append(h, "change")
		}
	}
	return h
}

func cells(t *Table, r *Row) []string {
	out := []string{r.Name, r.Unit}
	for i := range t.Columns {
		out = append(out, CellText(r.Cells[i], r.Unit))
		if i > 0 {
			out = append(out, DeltaText(r.Deltas[i], r.Better))
		}
	}
	return out
}

// Machines lists each column's machine and provenance, one line each.
func Machines(t *Table) []string {
	var out []string
	for _, c := range t.Columns {
		m := c.Run.Manifest
		line := fmt.Sprintf("%s: %s; commit %s; profile %s; %s", c.Label, m.Machine(), m.GitCommit, m.Profile, c.Run.Path)
		if p := m.Prebuilt; p != nil {
			line += fmt.Sprintf("; peers prebuilt (pack %s, packed on %s)", p.ID, p.PackedOn)
		}
		out = append(out, line)
	}
	return out
}

// Differences warns, one line each, when the runs compared were not made alike: another
// profile (other sizes and repetitions under the same names) or another build (native or
// default, prebuilt pack or local, other compilers). Their differences may be the build's.
func Differences(runs []*results.Run) []string {
	if len(runs) < 2 {
		return nil
	}
	var out []string
	differ := func(what string, of func(m *results.Manifest) string) {
		first := of(&runs[0].Manifest)
		for _, r := range runs[1:] {
			if v := of(&r.Manifest); v != first {
				out = append(out, fmt.Sprintf("warning: the runs differ in %s (%s: %s; %s: %s): a difference may be theirs, not the code's", what, runs[0].Path, first, r.Path, v))
				return
			}
		}
	}
	differ("profile", func(m *results.Manifest) string { return m.Profile })
	differ("build", func(m *results.Manifest) string {
		b := map[bool]string{true: "native", false: "default"}[m.Native]
		if m.Prebuilt != nil {
			b += ", prebuilt pack " + m.Prebuilt.ID
		}
		return b
	})
	differ("toolchains", func(m *results.Manifest) string {
		return fmt.Sprintf("go %s, rustc %s, cc %s", m.Toolchains.Go, m.Toolchains.Rustc, m.Toolchains.CC)
	})
	return out
}

// columnRuns are the runs of t's columns.
func columnRuns(t *Table) []*results.Run {
	var out []*results.Run
	for _, c := range t.Columns {
		out = append(out, c.Run)
	}
	return out
}

// Text writes an aligned plain-text table.
func Text(w io.Writer, t *Table) error {
	for _, l := range Machines(t) {
		fmt.Fprintln(w, l)
	}
	for _, l := range Differences(columnRuns(t)) {
		fmt.Fprintln(w, l)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(header(t), "\t"))
	for _, r := range t.Rows {
		fmt.Fprintln(tw, strings.Join(cells(t, r), "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nmedians with 95%% intervals; changes against the first column, tested with Mann-Whitney U at alpha %g (~ = no significant difference)\n", t.Alpha)
	return nil
}

// Markdown writes the table as GitHub Markdown.
func Markdown(w io.Writer, t *Table) error {
	for _, l := range Machines(t) {
		fmt.Fprintf(w, "- %s\n", l)
	}
	for _, l := range Differences(columnRuns(t)) {
		fmt.Fprintf(w, "- **%s**\n", l)
	}
	fmt.Fprintln(w)
	h := header(t)
	fmt.Fprintf(w, "| %s |\n|%s\n", strings.Join(h, " | "), strings.Repeat(" --- |", len(h)))
	for _, r := range t.Rows {
		c := cells(t, r)
		c[0] = "`" + c[0] + "`"
		fmt.Fprintf(w, "| %s |\n", strings.Join(c, " | "))
	}
	fmt.Fprintf(w, "\nMedians with 95%% intervals; changes against the first column, tested with Mann-Whitney U at alpha %g (~ = no significant difference).\n", t.Alpha)
	return nil
}

// CSV writes one line per row and column, raw numbers, for spreadsheets.
func CSV(w io.Writer, t *Table) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"benchmark", "unit", "better", "column", "machine", "commit", "run_id", "n", "median", "lo", "hi", "ratio", "ratio_lo", "ratio_hi", "p", "significant"})
	num := func(v float64) string {
		if math.IsNaN(v) {
			return ""
		}
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	for _, r := range t.Rows {
		better := map[int]string{1: "higher", -1: "lower"}[r.Better]
		for i, col := range t.Columns {
			c, d := r.Cells[i], r.Deltas[i]
			m := col.Run.Manifest
			rec := []string{r.Name, r.Unit, better, col.Label, m.Machine(), m.GitCommit, m.RunID, strconv.Itoa(len(c.Values)),
				num(c.Summary.Center), num(c.Summary.Lo), num(c.Summary.Hi)}
			if i == 0 || math.IsNaN(d.Ratio) {
				rec = append(rec, "", "", "", "", "")
			} else {
				rec = append(rec, num(d.Ratio), num(d.Lo), num(d.Hi), num(d.P), strconv.FormatBool(d.Significant))
			}
			cw.Write(rec)
		}
	}
	cw.Flush()
	return cw.Error()
}

// VerdictRow is one claim judged on every column.
type VerdictRow struct {
	Claim    string
	Verdicts []claims.Verdict
	Differs  bool // the verdict is not the same everywhere
}

// Verdicts judges every claim on every column; rows whose verdicts differ come first.
func Verdicts(t *Table) ([]VerdictRow, error) {
	var per [][]claims.Verdict
	for _, c := range t.Columns {
		st, err := summary.Of(c.Run)
		if err != nil {
			return nil, err
		}
		per = append(per, claims.Evaluate(st))
	}
	var rows, same []VerdictRow
	for i, v := range per[0] {
		r := VerdictRow{Claim: v.Claim}
		for _, p := range per {
			if i < len(p) {
				r.Verdicts = append(r.Verdicts, p[i])
				r.Differs = r.Differs || p[i].Verdict != v.Verdict
			}
		}
		if r.Differs {
			rows = append(rows, r)
		} else {
			same = append(same, r)
		}
	}
	return append(rows, same...), nil
}

// VerdictsText writes the verdicts side by side, in Markdown when md is set.
func VerdictsText(w io.Writer, t *Table, rows []VerdictRow, md bool) error {
	h := []string{"claim"}
	for _, c := range t.Columns {
		h = append(h, c.Label)
	}
	h = append(h, "")
	if md {
		fmt.Fprintf(w, "\n### Verdicts\n\n| %s |\n|%s\n", strings.Join(h, " | "), strings.Repeat(" --- |", len(h)))
	} else {
		fmt.Fprintln(w, "\nVerdicts")
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	if !md {
		fmt.Fprintln(tw, strings.Join(h, "\t"))
	}
	for _, r := range rows {
		line := []string{r.Claim}
		for _, v := range r.Verdicts {
			line = append(line, v.Verdict)
		}
		mark := ""
		if r.Differs {
			mark = "DIFFERS"
		}
		line = append(line, mark)
		if md {
			fmt.Fprintf(w, "| %s |\n", strings.Join(line, " | "))
		} else {
			fmt.Fprintln(tw, strings.Join(line, "\t"))
		}
	}
	return tw.Flush()
}
