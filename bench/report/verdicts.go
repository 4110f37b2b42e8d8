package report

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/gorustbench/gorustbench/bench/claims"
)

// MaxVerdictRow is the longest a row of the verdict table may be, in characters: one line a
// reader takes in at a glance; everything else is in the claim's section.
const MaxVerdictRow = 400

// overviewAlt is the overview chart's alternative text in report.md.
const overviewAlt = "Every claim at a glance"

// maxDepends is the longest the "depends on" cell gets, in characters.
const maxDepends = 180

// verdictTableHeader opens the one-line verdict table (report.html finds it by this text).
const verdictTableHeader = "| claim | the report says | measured (headline) | verdict | depends on |\n|---|---|---|---|---|\n"

// verdictRow is a claim's line in the verdict table: the claim (a link to its section), the
// report's words, the headline figure with its interval, the verdict, and the parts that say
// otherwise (or why nothing was measured). Never longer than MaxVerdictRow.
func verdictRow(c *claims.Claim, v claims.Verdict, h claims.Headline) string {
	statement := v.Claim
	if c != nil {
		statement = c.Statement
	}
	measured := clip(h.Missing, 110)
	switch {
	case !h.OK() && h.Missing == dependsOn(v):
		measured = "—" // the reason is under "depends on"
	case h.OK():
		measured = fmt.Sprintf("%s: %s; claimed: %s", clip(h.What, 90), h.Text(), clip(h.Claimed(), 50))
	}
	verdict := "**" + v.Verdict + "**"
	if v.Partial {
		verdict += " (partial)"
	}
	row := fmt.Sprintf("| [%s](#%s) | %s | %s | %s | ", v.Claim, v.Claim, cell(clip(statement, 120)), cell(measured), verdict)
	room := MaxVerdictRow - utf8.RuneCountInString(row) - len(" |")
	return row + cell(clip(dependsOn(v), max(min(room, maxDepends), 0))) + " |"
}

// dependsOn says what a verdict depends on: each deciding part whose own verdict differs from
// the claim's ("name: verdict"), so a "depends", an "inconclusive" or a "contradicted" names
// the parts behind it; for a claim with no parts, its basis (why it was not measured).
func dependsOn(v claims.Verdict) string {
	if s := v.Says(); s != "" && v.Verdict == claims.Depends {
		return s
	}
	if len(v.Parts) == 0 {
		if v.Verdict == claims.Holds || v.Verdict == claims.Contradicted {
			return ""
		}
		return v.Basis
	}
	var out []string
	for _, p := range v.Parts {
		if !p.Informative && p.Verdict != v.Verdict {
			out = append(out, p.Name+": "+p.Verdict)
		}
	}
	return strings.Join(out, "; ")
}

// clip cuts s to at most n characters, marking the cut with an ellipsis.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	if n <= 1 {
		return ""
	}
	r := []rune(s)
	return strings.TrimRight(string(r[:n-1]), " ;,") + "…"
}

// claimSections writes a section per claim, everything its table row leaves out: the report's
// words, the reading and the rule, the headline, and every part with its numbers.
func claimSections(p func(string, ...any), verdicts []claims.Verdict, heads []claims.Headline) {
	p("## The claims, one by one\n\n")
	byClaim := map[string]claims.Verdict{}
	for _, v := range verdicts {
		byClaim[v.Claim] = v
	}
	headOf := map[string]claims.Headline{}
	for _, h := range heads {
		headOf[h.Claim] = h
	}
	for _, c := range claims.Registry {
		v, h := byClaim[c.ID], headOf[c.ID]
		added := ""
		if c.Added {
			added = " Not in CLAIMS.md; found in review."
		}
		p("### %s\n\n", c.ID)
		p("**%s**. The report (line%s %s): %s (%s).%s\n\n", v.Verdict, plural(c.Lines), c.Lines, c.Original, c.Statement, added)
		if c.Interpretation != "" {
			p("Read as: %s\n\n", c.Interpretation)
		}
		p("Measured by: %s. Rule: %s\n\n", c.MeasuredBy, c.RuleText())
		if h.OK() {
			p("Headline: %s: %s; the report's figure: %s.\n\n", h.What, h.Text(), h.Claimed())
		}
		joined := partsBasis(v.Parts)
		switch {
		case len(v.Parts) == 0:
			p("Numbers: %s\n\n", v.Basis)
		case strings.HasPrefix(v.Basis, joined):
			if rest := strings.TrimPrefix(strings.TrimPrefix(v.Basis, joined), "; "); rest != "" {
				p("Note: %s.\n\n", rest)
			}
		default:
			p("Numbers: %s\n\n", v.Basis)
		}
		for _, part := range v.Parts {
			kind := ""
			if part.Informative {
				kind = ", informative"
			}
			p("- %s (**%s**%s): %s\n", part.Name, part.Verdict, kind, part.Basis)
		}
		if len(v.Parts) > 0 {
			p("\n")
		}
	}
}

// partsBasis is the basis claims.combine writes for parts.
func partsBasis(parts []claims.Part) string {
	var out []string
	for _, p := range parts {
		if p.Informative {
			out = append(out, p.Name+" (informative, "+p.Verdict+"): "+p.Basis)
		} else {
			out = append(out, p.Name+": "+p.Basis)
		}
	}
	return strings.Join(out, "; ")
}

func plural(lines string) string {
	if strings.ContainsAny(lines, ",-") {
		return "s"
	}
	return ""
}
