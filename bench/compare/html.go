package compare

import (
	"fmt"
	"html"
	"io"
	"strings"

	"github.com/gorustbench/gorustbench/bench/claims"
	"github.com/gorustbench/gorustbench/bench/plot"
	"github.com/gorustbench/gorustbench/bench/summary"
)

// Judged is one column's claims: every verdict, every headline figure (both in the registry's
// order) and the overview chart of them (SVG; nil when no claim has a figure).
type Judged struct {
	Verdicts []claims.Verdict
	Heads    []claims.Headline
	Overview []byte
}

// JudgeColumns judges every claim on every column of t, and draws each column's overview.
func JudgeColumns(t *Table) ([]Judged, error) {
	var out []Judged
	for _, c := range t.Columns {
		st, err := summary.Of(c.Run)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.Label, err)
		}
		j := Judged{Verdicts: claims.Evaluate(st), Heads: claims.Headlines(st)}
		for _, h := range j.Heads {
			if h.OK() {
				svg, err := plot.Overview(j.Verdicts, j.Heads)
				if err != nil {
					return nil, fmt.Errorf("%s: the overview chart: %w", c.Label, err)
				}
				j.Overview = svg
				break
			}
		}
		out = append(out, j)
	}
	return out, nil
}

// HTML writes the comparison as one self-contained page (charts inline as SVG, their font
// embedded, nothing fetched from the network): the machines; when judged is not nil, every
// claim's verdict and headline figure on each column side by side, claims whose verdicts
// differ first, and each column's overview chart; then every benchmark row, folded.
func HTML(w io.Writer, t *Table, judged []Judged) error {
	fontCSS, err := plot.FontCSS()
	if err != nil {
		return err
	}
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	e := html.EscapeString
	var labels []string
	for _, c := range t.Columns {
		labels = append(labels, c.Label)
	}
	p("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	p("<title>gorustbench compare: %s</title>\n<style>\n%s\n%s</style>\n</head>\n<body>\n", e(strings.Join(labels, " vs ")), fontCSS, pageCSS)
	p("<h1>gorustbench compare</h1>\n<ol class=\"runs\">\n")
	for _, l := range Machines(t) {
		p("<li>%s</li>\n", e(l))
	}
	p("</ol>\n")
	if judged != nil {
		verdictsHTML(p, t, judged)
	}
	p("<details>\n<summary><h2>Every benchmark</h2> (%d rows: medians with 95%% intervals; changes against the first run, Mann-Whitney U at alpha %g, ~ = no significant difference)</summary>\n<table class=\"rows\">\n<tr>", len(t.Rows), t.Alpha)
	for _, h := range header(t) {
		p("<th>%s</th>", e(h))
	}
	p("</tr>\n")
	for _, r := range t.Rows {
		p("<tr>")
		for i, c := range cells(t, r) {
			if i == 0 {
				p("<td><code>%s</code></td>", e(c))
			} else {
				p("<td>%s</td>", e(c))
			}
		}
		p("</tr>\n")
	}
	p("</table>\n</details>\n</body>\n</html>\n")
	_, err = io.WriteString(w, b.String())
	return err
}

// verdictsHTML writes the claims side by side and the overview charts.
func verdictsHTML(p func(string, ...any), t *Table, judged []Judged) {
	e := html.EscapeString
	p("<h2>Verdicts</h2>\n<p>Each claim judged on each run: the verdict and the headline figure it is read against (median or ratio with its interval). Claims whose verdicts differ between the runs come first, marked. Each run's report.html has every number.</p>\n")
	p("<table class=\"verdicts\">\n<tr><th>claim</th><th>the report says</th>")
	for i, c := range t.Columns {
		p("<th>#%d %s</th>", i+1, e(c.Label))
	}
	p("</tr>\n")
	type row struct {
		claim   string
		differs bool
	}
	var differ, same []row
	for i, c := range claims.Registry {
		r := row{claim: c.ID}
		for _, j := range judged {
			if i >= len(j.Verdicts) || j.Verdicts[i].Verdict != judged[0].Verdicts[i].Verdict {
				r.differs = true
			}
		}
		if r.differs {
			differ = append(differ, r)
		} else {
			same = append(same, r)
		}
	}
	for _, r := range append(differ, same...) {
		c := claims.Lookup(r.claim)
		cls := ""
		if r.differs {
			cls = " class=\"differs\""
		}
		p("<tr%s><td><b>%s</b>", cls, e(c.ID))
		if r.differs {
			p(" <span class=\"mark\">differs</span>")
		}
		p("</td><td>%s</td>", e(c.Statement))
		for _, j := range judged {
			v, h := find(j, c.ID)
			word := v.Verdict
			if word == "" {
				word = claims.NotMeasured
			}
			partial := ""
			if v.Partial {
				partial = " (partial)"
			}
			figure := "—"
			if h.OK() {
				figure = h.Text()
			}
			p("<td><b class=\"verdict %s\">%s</b>%s<br><span class=\"figure\">%s</span></td>", strings.ReplaceAll(word, " ", "-"), e(word), partial, e(figure))
		}
		p("</tr>\n")
	}
	p("</table>\n<p class=\"what\">The headline figures: ")
	var whats []string
	for _, h := range judged[0].Heads {
		if h.OK() {
			whats = append(whats, fmt.Sprintf("<b>%s</b>: %s (the report: %s)", e(h.Claim), e(h.What), e(h.Claimed())))
		}
	}
	p("%s.</p>\n", strings.Join(whats, "; "))
	p("<h2>Every claim at a glance, run by run</h2>\n<div class=\"overviews\">\n")
	for i, j := range judged {
		p("<figure>\n<figcaption>#%d %s</figcaption>\n", i+1, e(t.Columns[i].Label))
		if j.Overview == nil {
			p("<p>No claim has a figure in this run.</p>\n")
		} else {
			s := string(j.Overview)
			if k := strings.Index(s, "<svg"); k > 0 {
				s = s[k:]
			}
			p("%s\n", s)
		}
		p("</figure>\n")
	}
	p("</div>\n<p class=\"what\">Each row: a claim's headline figure divided by the claim's bound (1 = the bound), on a log axis, with its interval; shaded: the claimed range; colour: the claim's verdict on that run.</p>\n")
}

// find is a column's verdict and headline of a claim.
func find(j Judged, id string) (claims.Verdict, claims.Headline) {
	var v claims.Verdict
	var h claims.Headline
	for _, x := range j.Verdicts {
		if x.Claim == id {
			v = x
		}
	}
	for _, x := range j.Heads {
		if x.Claim == id {
			h = x
		}
	}
	return v, h
}

const pageCSS = `body{font-family:"Liberation Serif",Georgia,serif;max-width:1400px;margin:2em auto;padding:0 1em;color:#222;line-height:1.35}
table{border-collapse:collapse;margin:0.8em 0;font-size:0.85em}
th,td{border:1px solid #ccc;padding:0.2em 0.45em;text-align:left;vertical-align:top}
th{background:#f2f2f2}
code{font-family:monospace;font-size:0.9em}
tr.differs td{background:#fff8e1}
.mark{font-size:0.8em;color:#fff;background:#8a6d00;padding:0 0.3em;border-radius:3px}
.figure{font-size:0.9em;color:#444}
.what{font-size:0.85em;color:#555}
.verdict{font-weight:bold;color:#546e7a}
.holds{color:#1a7f37}.contradicted{color:#b3261e}.inconclusive{color:#8a6d00}.depends{color:#6f42c1}.not-measured{color:#777}
.overviews{display:grid;grid-template-columns:repeat(auto-fit,minmax(560px,1fr));gap:1em}
.overviews figure{margin:0}
.overviews svg{width:100%;height:auto}
figcaption{font-weight:bold;margin-bottom:0.3em}
details summary h2{display:inline}
`
