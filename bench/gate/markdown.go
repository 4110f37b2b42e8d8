package gate

import (
	"fmt"
	"io"
	"strings"

	"github.com/gorustbench/gorustbench/bench/compare"
	"github.com/gorustbench/gorustbench/bench/results"
)

// Markdown writes the decision for a pull-request comment: the verdict first, what is broken,
// the regressions, what was not gated and why, then every gated line in a collapsed table.
func Markdown(w io.Writer, r *Result, baseline, candidate *results.Run, o Options) {
	s := sortLines(r.Lines)
	markdownHead(w, r, s, baseline, candidate, o)
	if len(r.Broken) > 0 {
		fmt.Fprintf(w, "Broken in the candidate (worse than slow):\n\n")
		for _, b := range r.Broken {
			fmt.Fprintf(w, "- %s\n", b)
		}
		fmt.Fprintln(w)
	}
	if len(s.regressed)+len(r.Checksum) > 0 {
		fmt.Fprintf(w, "| benchmark | unit | baseline | candidate | change |\n| --- | --- | --- | --- | --- |\n")
		for _, l := range s.regressed {
			fmt.Fprintf(w, "| `%s` | %s | %s | %s | %s |\n", l.Row.Name, l.Row.Unit, compare.CellText(l.Row.Cells[0], l.Row.Unit), compare.CellText(l.Row.Cells[1], l.Row.Unit), l.Why)
		}
		for _, c := range r.Checksum {
			fmt.Fprintf(w, "| %s | checksum | | | the output changed |\n", c)
		}
		fmt.Fprintln(w)
	}
	for _, l := range s.unstable {
		fmt.Fprintf(w, "- Unstable, not gated: `%s` %s: %s.\n", l.Row.Name, l.Row.Unit, l.Why)
	}
	for _, l := range s.notGated {
		fmt.Fprintf(w, "- Not gated: `%s` %s: %s.\n", l.Row.Name, l.Row.Unit, l.Why)
	}
	if len(s.unstable)+len(s.notGated) > 0 {
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

// sorted are a result's lines by status; tested counts the lines a test judged (regressed,
// improved or unchanged).
type sorted struct {
	regressed, improved, unstable, notGated []Line
	tested                                  int
}

func sortLines(lines []Line) sorted {
	var s sorted
	for _, l := range lines {
		switch l.Status {
		case Regressed:
			s.regressed = append(s.regressed, l)
		case Improved:
			s.improved = append(s.improved, l)
		case StatusUnstable:
			s.unstable = append(s.unstable, l)
			continue
		case NotGated:
			s.notGated = append(s.notGated, l)
			continue
		}
		s.tested++
	}
	return s
}

// markdownHead is the comment's heading (the decision), how the runs were compared, the two
// runs, what differs between them and the warnings.
func markdownHead(w io.Writer, r *Result, s sorted, baseline, candidate *results.Run, o Options) {
	switch {
	case len(r.Broken) > 0:
		fmt.Fprintf(w, "## ❌ gorustbench gate: %d case(s) broken in the candidate\n\n", len(r.Broken))
	case r.Machine != "":
		fmt.Fprintf(w, "## ⚠️ gorustbench gate: cannot judge, the machine changed\n\n%s.\n\n", r.Machine)
	case r.Failed:
		fmt.Fprintf(w, "## ❌ gorustbench gate: %d regression(s)\n\n", len(s.regressed)+len(r.Checksum))
	default:
		fmt.Fprintf(w, "## ✅ gorustbench gate: no regression\n\n")
	}
	how := "samples pooled (not interleaved)"
	if r.Pairs != nil {
		how = fmt.Sprintf("%d interleaved rounds, compared round by round", len(r.Pairs))
	}
	fmt.Fprintf(w, "Threshold %g%%, false discovery rate %g (Benjamini-Hochberg), %s; %d metrics gated (%d improved).\n\n", 100*o.Threshold, o.Alpha, how, s.tested, len(s.improved))
	fmt.Fprintf(w, "- baseline: %s, commit %s (%s)\n- candidate: %s, commit %s (%s)\n",
		baseline.Manifest.Machine(), baseline.Manifest.GitCommit, baseline.Path, candidate.Manifest.Machine(), candidate.Manifest.GitCommit, candidate.Path)
	if r.Control != "" {
		fmt.Fprintf(w, "- %s\n", r.Control)
	}
	fmt.Fprintln(w)
	for _, l := range compare.Differences([]*results.Run{baseline, candidate}) {
		fmt.Fprintf(w, "**%s**\n\n", l)
	}
	for _, warn := range r.Warnings {
		fmt.Fprintf(w, "> ⚠️ %s.\n\n", warn)
	}
}
