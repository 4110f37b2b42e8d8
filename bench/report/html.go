package report

import (
	"bytes"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html"
	"regexp"
	"slices"
	"strings"

	"github.com/gorustbench/gorustbench/bench/claims"
	"github.com/gorustbench/gorustbench/bench/plot"
	"github.com/gorustbench/gorustbench/bench/summary"
)

// HTML is report.html: one self-contained page (charts inline as SVG, their font embedded,
// nothing fetched from the network). It opens with the machine and the verdict table, then a
// section per claim (the report's words and their translation, the reading the registry
// takes, the rule, the charts, the numbers, the caveats), then the measurements of report.md.
// md is report.md, whose parts it reuses so the two never disagree.
func HTML(t *summary.Table, verdicts []claims.Verdict, charts []plot.Chart, md string) ([]byte, error) {
	fontCSS, err := plot.FontCSS()
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	p("<title>gorustbench report: run %s</title>\n<style>\n%s\n%s\n%s</style>\n</head>\n<body>\n", html.EscapeString(t.Run.Manifest.RunID), fontCSS, cjkCSS(), css)

	head, rest := splitMarkdown(md)
	// The overview chart where report.md has its image, the verdict table under it.
	var overview *plot.Chart
	for i := range charts {
		if charts[i].Name == plot.OverviewName {
			overview = &charts[i]
		}
	}
	if i := strings.Index(head, "!["+overviewAlt+"]"); i >= 0 && overview != nil {
		b.WriteString(markdownHTML(head[:i]))
		p("<figure class=\"overview\">\n%s\n<figcaption>%s</figcaption>\n</figure>\n", inlineSVG(overview.SVG), html.EscapeString(overview.Caption))
		head = head[i:]
	}
	b.WriteString(verdictTableHTML(markdownHTML(head)))

	p("<h2 id=\"claims\">The claims, one by one</h2>\n")
	byClaim := map[string]claims.Verdict{}
	for _, v := range verdicts {
		byClaim[v.Claim] = v
	}
	headOf := map[string]claims.Headline{}
	for _, h := range claims.Headlines(t) {
		headOf[h.Claim] = h
	}
	for _, c := range claims.Registry {
		claimHTML(p, c, byClaim[c.ID], headOf[c.ID], charts)
	}
	b.WriteString(markdownHTML(rest))
	p("</body>\n</html>\n")
	return b.Bytes(), nil
}

// splitMarkdown cuts report.md into what comes before its claim sections (the verdicts and
// the machine) and its measurements (from its cases to its charts, which the page places
// under their claims).
func splitMarkdown(md string) (head, rest string) {
	head = md
	if i := strings.Index(md, "\n## The claims, one by one"); i >= 0 {
		head = md[:i]
	}
	if i := strings.Index(md, "\n## Cases"); i >= 0 {
		rest = md[i:]
	}
	if i := strings.Index(rest, "\n## Charts"); i >= 0 {
		rest = rest[:i]
	}
	return head, rest
}

// claimHTML is claim c's section: the report's words, the reading taken, the rule, the
// headline, its charts, its numbers, its deciding parts in a table and its informative ones
// as caveats.
func claimHTML(p printf, c *claims.Claim, v claims.Verdict, h claims.Headline, charts []plot.Chart) {
	p("<section class=\"claim\" id=\"%s\">\n<h3>%s <span class=\"verdict %s\">%s</span></h3>\n", c.ID, c.ID, strings.ReplaceAll(v.Verdict, " ", "-"), html.EscapeString(v.Headline()))
	p("<blockquote lang=\"zh\">%s <cite>(line %s)</cite></blockquote>\n", html.EscapeString(c.Original), html.EscapeString(c.Lines))
	p("<p><b>In English:</b> %s</p>\n", html.EscapeString(c.Statement))
	if c.Interpretation != "" {
		p("<p><b>Read as:</b> %s</p>\n", html.EscapeString(c.Interpretation))
	}
	p("<p><b>Measured by:</b> %s. <b>Rule:</b> %s</p>\n", html.EscapeString(c.MeasuredBy), html.EscapeString(c.RuleText()))
	if h.OK() {
		p("<p><b>Headline:</b> %s: %s; the report's figure: %s.</p>\n", html.EscapeString(h.What), html.EscapeString(h.Text()), html.EscapeString(h.Claimed()))
	}
	for _, ch := range charts {
		if ch.Name != plot.OverviewName && slices.Contains(ch.Claims, c.ID) {
			p("<figure>\n%s\n<figcaption>%s</figcaption>\n</figure>\n", inlineSVG(ch.SVG), html.EscapeString(ch.Caption))
		}
	}
	p("<p><b>Numbers:</b> %s</p>\n", html.EscapeString(v.Basis))
	var decide, caveats []claims.Part
	for _, part := range v.Parts {
		if part.Informative {
			caveats = append(caveats, part)
		} else {
			decide = append(decide, part)
		}
	}
	if len(decide) > 0 {
		p("<table><tr><th>part</th><th>verdict</th><th>numbers</th></tr>\n")
		for _, part := range decide {
			p("<tr><td>%s</td><td class=\"verdict %s\">%s</td><td>%s</td></tr>\n", html.EscapeString(part.Name), strings.ReplaceAll(part.Verdict, " ", "-"), html.EscapeString(part.Verdict), html.EscapeString(part.Basis))
		}
		p("</table>\n")
	}
	if len(caveats) > 0 {
		p("<p><b>Caveats</b> (informative parts: cited, never deciding):</p>\n<ul>\n")
		for _, part := range caveats {
			p("<li>%s (%s): %s</li>\n", html.EscapeString(part.Name), html.EscapeString(part.Verdict), html.EscapeString(part.Basis))
		}
		p("</ul>\n")
	}
	p("</section>\n")
}

// verdictTableHTML marks the one-line verdict table for its style, and colours each verdict in
// it (bold words elsewhere stay as they are).
func verdictTableHTML(s string) string {
	const open = "<table>\n<tr><th>claim</th><th>the report says</th>"
	i := strings.Index(s, open)
	if i < 0 {
		return s
	}
	end := i + strings.Index(s[i:], "</table>")
	table := strings.Replace(s[i:end], "<table>", "<table class=\"verdicts\">", 1)
	table = verdictCellRe.ReplaceAllStringFunc(table, func(m string) string {
		word := verdictCellRe.FindStringSubmatch(m)[1]
		return fmt.Sprintf("<td><b class=\"verdict %s\">%s</b>", verdictClass(word), word)
	})
	return s[:i] + table + s[end:]
}

// verdictClass is a verdict's CSS class: its words joined by hyphens ("not-measured").
func verdictClass(word string) string { return strings.ReplaceAll(word, " ", "-") }

// cjkTTF holds the glyphs of every CJK character the claims registry quotes, cut from Droid
// Sans Fallback (Apache License 2.0) by scripts/cjk-font.sh: the report's original words show
// without a CJK font on the reader's machine.
//
//go:embed cjk.ttf
var cjkTTF []byte

func cjkCSS() string {
	return fmt.Sprintf("@font-face{font-family:\"gorustbench CJK\";src:url(data:font/ttf;base64,%s) format(\"truetype\");}", base64.StdEncoding.EncodeToString(cjkTTF))
}

const css = `body{font-family:"Liberation Serif","gorustbench CJK",Georgia,serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.4}
table{border-collapse:collapse;margin:0.8em 0;font-size:0.9em}
th,td{border:1px solid #ccc;padding:0.25em 0.5em;text-align:left;vertical-align:top}
th{background:#f2f2f2}
code{font-family:monospace;font-size:0.9em;background:#f5f5f5;padding:0 0.2em}
blockquote{border-left:4px solid #ccc;margin:0.6em 0;padding:0.3em 0.8em;background:#fafafa}
section.claim{border-top:2px solid #ddd;margin-top:1.5em}
figure{margin:0.8em 0}
figure svg{width:100%;max-width:960px;height:auto}
figcaption{font-size:0.9em;color:#555}
.verdict{font-weight:bold;padding:0 0.3em}
.verdict{color:#546e7a}
.holds{color:#1a7f37}.contradicted{color:#b3261e}.inconclusive{color:#8a6d00}.depends{color:#6f42c1}.not-measured{color:#777}
table.verdicts{font-size:0.82em;width:100%}
table.verdicts td{padding:0.15em 0.4em}
table.verdicts td:first-child,table.verdicts td:nth-child(4){white-space:nowrap}
figure.overview svg{max-width:820px}
`

// inlineSVG drops the XML prolog of a chart so it can sit inside HTML, and lets it scale.
func inlineSVG(svg []byte) string {
	s := string(svg)
	if i := strings.Index(s, "<svg"); i > 0 {
		s = s[i:]
	}
	return s
}

var (
	codeRe = regexp.MustCompile("`([^`]*)`")
	boldRe = regexp.MustCompile(`\*\*([^*]+)\*\*`)
	imgRe  = regexp.MustCompile(`!\[[^\]]*\]\([^)]*\)`)
	// linkRe is a link to a section of the same page, the only kind report.md makes.
	linkRe        = regexp.MustCompile(`\[([^\]]+)\]\((#[A-Za-z0-9_-]+)\)`)
	verdictCellRe = regexp.MustCompile(`<td><b>([a-z][a-z ]*)</b>`)
)

// inline renders the Markdown report.md uses inside a line: code, bold, links within the
// page; images are dropped
// (report.html has its charts inline).
func inline(s string) string {
	s = imgRe.ReplaceAllString(s, "")
	s = html.EscapeString(s)
	s = codeRe.ReplaceAllString(s, "<code>$1</code>")
	s = linkRe.ReplaceAllString(s, `<a href="$2">$1</a>`)
	return boldRe.ReplaceAllString(s, "<b>$1</b>")
}

// markdownHTML converts the subset of Markdown report.md is written in: headings, tables,
// lists, block quotes and paragraphs.
func markdownHTML(md string) string {
	var b strings.Builder
	lines := strings.Split(md, "\n")
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		switch {
		case strings.TrimSpace(l) == "":
		case strings.HasPrefix(l, "#"):
			n := len(l) - len(strings.TrimLeft(l, "#"))
			fmt.Fprintf(&b, "<h%d>%s</h%d>\n", n, inline(strings.TrimSpace(l[n:])), n)
		case strings.HasPrefix(l, "|"):
			b.WriteString("<table>\n")
			row := 0
			for ; i < len(lines) && strings.HasPrefix(lines[i], "|"); i++ {
				cells := splitRow(lines[i])
				if row == 1 && strings.Trim(strings.Join(cells, ""), "-: ") == "" {
					row++
					continue
				}
				tag := "td"
				if row == 0 {
					tag = "th"
				}
				b.WriteString("<tr>")
				for _, c := range cells {
					fmt.Fprintf(&b, "<%s>%s</%s>", tag, inline(c), tag)
				}
				b.WriteString("</tr>\n")
				row++
			}
			i--
			b.WriteString("</table>\n")
		case strings.HasPrefix(l, "- "):
			b.WriteString("<ul>\n")
			for ; i < len(lines) && strings.HasPrefix(lines[i], "- "); i++ {
				fmt.Fprintf(&b, "<li>%s</li>\n", inline(lines[i][2:]))
			}
			i--
			b.WriteString("</ul>\n")
		case strings.HasPrefix(l, "> "):
			fmt.Fprintf(&b, "<blockquote>%s</blockquote>\n", inline(l[2:]))
		default:
			var para []string
			for ; i < len(lines) && strings.TrimSpace(lines[i]) != "" && !strings.HasPrefix(lines[i], "|") && !strings.HasPrefix(lines[i], "#"); i++ {
				para = append(para, lines[i])
			}
			i--
			if s := inline(strings.Join(para, " ")); strings.TrimSpace(s) != "" {
				fmt.Fprintf(&b, "<p>%s</p>\n", s)
			}
		}
	}
	return b.String()
}

// splitRow splits a Markdown table row, honouring escaped pipes.
func splitRow(l string) []string {
	l = strings.TrimSpace(l)
	l = strings.TrimPrefix(strings.TrimSuffix(l, "|"), "|")
	l = strings.ReplaceAll(l, `\|`, "\x00")
	parts := strings.Split(l, "|")
	for i, c := range parts {
		parts[i] = strings.ReplaceAll(strings.TrimSpace(c), "\x00", "|")
	}
	return parts
}
