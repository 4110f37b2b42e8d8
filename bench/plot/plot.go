// Package plot draws a run's charts with gonum/plot, each measurement next to the figure the
// report claims for it, so a reader sees at a glance where the claim stands.
//
// One convention for every chart (later workloads add theirs in the same style):
//   - one colour per language (Go teal, Rust red, C grey), one marker per variant
//     (variantGlyph) and, on line charts, one dash per variant;
//   - every sample is drawn as a small faint dot; the median as the variant's marker; its
//     confidence interval as a bar with caps (the interval's actual level is in the report's
//     tables); no bar charts, so nothing is drawn from a 0 a log axis does not have;
//   - the report's claimed range is a shaded band, labelled with the claim's words and line,
//     behind the columns of the language it is about;
//   - log axes carry ticks at 1-2-5 steps (or at the measured sizes); the legend sits below the
//     data, never on it.
//
// A chart is a short function from the summary table (and the claims' Ranges) to a figure:
// see charts.go. Write renders every figure, deterministically, as SVG (fonts embedded) or PNG.
package plot

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/gorustbench/gorustbench/bench/claims"
	"github.com/gorustbench/gorustbench/bench/stats"
	"github.com/gorustbench/gorustbench/bench/summary"
	"github.com/gorustbench/gorustbench/bench/units"
	"golang.org/x/image/font/sfnt"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Chart is one written chart.
type Chart struct {
	Name    string   // file name without extension: "startup-service"
	File    string   // file name with extension, inside the charts folder
	Title   string   // a heading for it
	Caption string   // what it shows, for a reader
	Claims  []string // the ids of the claims it shows (report.html puts it under each)
	SVG     []byte   // the chart as SVG, for report.html (its font: FontCSS)
}

// Formats are the file formats Write draws in.
var Formats = []string{"svg", "png"}

// figure is a chart before rendering: the plot, and its legend drawn outside the data.
type figure struct {
	name, title, caption string
	claims               []string
	p                    *plot.Plot
	legend               []legendEntry
	yfmt                 func(float64) string // a log axis' tick labels ("1 ms"); nil: numbers
	height               vg.Length            // the plot's height without its legend; 0: plotHeight
}

// durationsIn labels a time axis whose values are in units of scale ns: "500 µs", "2 ms".
func durationsIn(scale float64) func(float64) string {
	return func(v float64) string { return strings.ReplaceAll(units.Duration(v*scale), ".00", "") }
}

type legendEntry struct {
	label  string
	thumbs []plot.Thumbnailer
}

func (f *figure) add(label string, thumbs ...plot.Thumbnailer) {
	f.legend = append(f.legend, legendEntry{label, thumbs})
}

func newFigure(name, title, caption string, claimIDs ...string) *figure {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(11)
	p.X.Label.TextStyle.Font.Size = vg.Points(9)
	p.Y.Label.TextStyle.Font.Size = vg.Points(9)
	p.X.Tick.Label.Font.Size = vg.Points(8)
	p.Y.Tick.Label.Font.Size = vg.Points(8)
	p.Add(plotter.NewGrid())
	return &figure{name: name, title: title, caption: caption, claims: claimIDs, p: p}
}

var (
	goColor   = color.RGBA{0, 125, 156, 255}
	rustColor = color.RGBA{206, 66, 43, 255}
	cColor    = color.RGBA{90, 90, 90, 255}
)

// langColor is the colour of an implementation's (or a claim part's) language.
func langColor(impl string) color.Color {
	switch {
	case strings.HasPrefix(impl, "go"):
		return goColor
	case strings.HasPrefix(impl, "rust"):
		return rustColor
	}
	return cColor
}

func fade(c color.Color, alpha uint8) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), alpha}
}

// variant is what follows the language in an implementation ID: "std" of "go-std".
func variant(impl string) string {
	_, v, _ := strings.Cut(impl, "-")
	return v
}

// variantGlyph gives each variant its marker, the same in every chart. Idiomatic or naive:
// circle; tuned or library: square or triangle; the rest: ring, cross, pyramid.
func variantGlyph(impl string) draw.GlyphDrawer {
	switch variant(impl) {
	case "std", "naive", "plain", "chan", "goroutine", "":
		return draw.CircleGlyph{}
	case "fasthttp", "hyper", "gonum", "faer", "openblas", "cgo", "ffi":
		return draw.SquareGlyph{}
	case "axum", "tokio", "crossbeam", "flume", "sonic", "simd":
		return draw.TriangleGlyph{}
	case "thread", "threads", "mutex", "ring", "pthread":
		return draw.PyramidGlyph{}
	}
	return draw.RingGlyph{}
}

// variantDashes: solid for libraries and tuned variants, dashed for the naive and idiomatic.
func variantDashes(impl string) []vg.Length {
	switch variant(impl) {
	case "naive", "std", "plain":
		return []vg.Length{vg.Points(4), vg.Points(2)}
	}
	return nil
}

// Skipped lists the charts that could not be drawn, each with why; Write returns it with
// every chart it did draw, so one bad chart never costs the report the others.
type Skipped struct{ Charts []string }

func (s *Skipped) Error() string { return "charts not drawn: " + strings.Join(s.Charts, "; ") }

// Write draws every chart the run has data for into dir (created if needed) in format (svg or
// png), and returns them with their SVG for report.html. Equal input gives equal bytes. A chart
// the plotting library cannot draw is left out and named in a *Skipped error, never a crash.
func Write(dir string, t *summary.Table, format string) ([]Chart, error) {
	if format != "svg" && format != "png" {
		return nil, fmt.Errorf("chart format %q: want svg or png", format)
	}
	figs, skipped := figures(t)
	var out []Chart
	if len(figs) > 0 {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
	}
	for _, f := range figs {
		svg, data, err := renderBoth(f, format)
		if err != nil {
			skipped = append(skipped, fmt.Sprintf("%s: %v", f.name, err))
			continue
		}
		file := f.name + "." + format
		if err := os.WriteFile(filepath.Join(dir, file), data, 0o644); err != nil {
			return out, err
		}
		out = append(out, Chart{Name: f.name, File: file, Title: f.title, Caption: f.caption, Claims: f.claims, SVG: svg})
	}
	if len(skipped) > 0 {
		return out, &Skipped{Charts: skipped}
	}
	return out, nil
}

// renderBoth renders a figure as SVG (for report.html) and in format; a panic of the plotting
// library is an error.
func renderBoth(f *figure, format string) (svg, data []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the plotting library failed: %v", r)
		}
	}()
	if svg, err = f.render("svg"); err != nil {
		return nil, nil, err
	}
	data = svg
	if format == "png" {
		data, err = f.render("png")
	}
	return svg, data, err
}

// figures runs every chart function in order; each returns nil when the run lacks its data.
// A chart function that fails (or panics) is skipped and named.
func figures(t *summary.Table) (out []*figure, skipped []string) {
	for i, c := range charts {
		figs, err := safely(c, t)
		if err != nil {
			skipped = append(skipped, fmt.Sprintf("chart %d: %v", i+1, err))
			continue
		}
		for _, f := range figs {
			if f != nil {
				out = append(out, f)
			}
		}
	}
	return out, skipped
}

func safely(c func(*summary.Table) ([]*figure, error), t *summary.Table) (figs []*figure, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the plotting library failed: %v", r)
		}
	}()
	return c(t)
}

const (
	width      = 17 * vg.Centimeter
	plotHeight = 10 * vg.Centimeter
	entryH     = 12 // points per legend row
)

// render draws the figure, its legend below the data in two columns.
func (f *figure) render(format string) ([]byte, error) {
	// gonum/plot's tick labelling loops forever on a NaN or infinite range: refuse it.
	for _, r := range []struct {
		axis     string
		min, max float64
	}{{"x", f.p.X.Min, f.p.X.Max}, {"y", f.p.Y.Min, f.p.Y.Max}} {
		if math.IsNaN(r.min) || math.IsNaN(r.max) || math.IsInf(r.min, 0) || math.IsInf(r.max, 0) {
			return nil, fmt.Errorf("the %s axis has no finite range [%v, %v]", r.axis, r.min, r.max)
		}
	}
	rows := (len(f.legend) + 1) / 2
	legendH := vg.Points(float64(rows*entryH) + 8)
	ph := plotHeight
	if f.height > 0 {
		ph = f.height
	}
	h := ph + legendH
	var cw vg.CanvasWriterTo
	switch format {
	case "svg":
		// Fonts are not embedded in each chart (half a megabyte each): report.html embeds the
		// one font once (FontCSS); a chart file alone falls back to the reader's serif font.
		cw = vgsvg.NewWith(vgsvg.UseWH(width, h))
	default:
		cw = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(width, h), vgimg.UseDPI(110))}
	}
	dc := draw.New(cw)
	f.p.Draw(draw.Crop(dc, 0, 0, legendH, 0))
	half := (len(f.legend) + 1) / 2
	for col, entries := range [][]legendEntry{f.legend[:half], f.legend[half:]} {
		l := plot.NewLegend()
		l.Top, l.Left = true, true
		l.TextStyle.Font = font.From(plot.DefaultFont, vg.Points(8))
		l.ThumbnailWidth = vg.Points(16)
		l.Padding = vg.Points(entryH - 9)
		for _, e := range entries {
			l.Add(e.label, e.thumbs...)
		}
		left := vg.Points(10) + vg.Length(col)*width/2
		l.Draw(draw.Crop(dc, left, -(width - left - width/2 + vg.Points(10)), 0, -(h - legendH + vg.Points(4))))
	}
	var b bytes.Buffer
	if _, err := cw.WriteTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// column is one implementation (or one case of it) on a categorical axis: its samples and
// their summary, already in the chart's display unit.
type column struct {
	label  string
	impl   string // colour and marker
	values []float64
	s      stats.Summary
}

// col makes a column of samples, scaled by 1/scale (1e6: ns to ms).
func col(label, impl string, values []float64, scale float64) column {
	v := make([]float64, len(values))
	for i, x := range values {
		v[i] = x / scale
	}
	return column{label: label, impl: impl, values: v, s: stats.Summarize(v)}
}

// cellCol is col of a table cell, if its case ended ok.
func cellCol(t *summary.Table, label, impl string, c *summary.Cell, ok bool, scale float64) (column, bool) {
	if !ok || c.Partial || len(c.Values) == 0 {
		return column{}, false
	}
	return col(label, impl, c.Values, scale), true
}

// band is a claimed range: a shaded strip behind the columns of its language.
type band struct {
	lo, hi float64 // display units; hi may be +Inf, lo 0
	label  string
	lang   string // "go", "rust", "c"; "" spans every column
}

// bandOf is a claim's range for part, divided by scale, over the columns of lang.
func bandOf(claim, part, lang string, scale float64) band {
	c := claims.Lookup(claim)
	r := c.Range(part)
	lines := "line"
	if strings.ContainsAny(c.Lines, ",-") {
		lines = "lines"
	}
	return band{r.Lo / scale, r.Hi / scale, fmt.Sprintf("%s (%s %s)", r.Label, lines, c.Lines), lang}
}

// dist draws columns of samples with their medians and intervals, over the claimed bands.
func dist(f *figure, ylabel string, log bool, cols []column, bands []band) (*figure, error) {
	if log {
		cols = positiveOnly(cols) // a log axis has no place for 0 or below
	}
	if len(cols) == 0 {
		return nil, nil
	}
	p := f.p
	p.Y.Label.Text = ylabel
	if err := f.yAxis(log, cols, bands); err != nil {
		return nil, err
	}
	for _, b := range bands {
		if err := f.drawBand(b, cols); err != nil {
			return nil, err
		}
	}
	var names []string
	seen := map[string]bool{}
	for i, c := range cols {
		names = append(names, c.label)
		if err := f.drawColumn(i, c, log, seen); err != nil {
			return nil, err
		}
	}
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.6, float64(len(cols))-0.4 // room for the edge columns' samples
	p.X.Tick.Label.Rotation = math.Pi / 7
	p.X.Tick.Label.XAlign = draw.XRight
	p.X.Tick.Label.YAlign = draw.YTop
	dots, _ := plotter.NewScatter(plotter.XYs{{}})
	dots.GlyphStyle = draw.GlyphStyle{Color: fade(cColor, 110), Radius: vg.Points(1.6), Shape: draw.CircleGlyph{}}
	f.add("one sample (run or load window)", dots)
	return f, nil
}

// positiveOnly keeps each column's positive values (a zero-time run, an empty window have no
// place on a log axis), and the columns left with any.
func positiveOnly(cols []column) []column {
	var kept []column
	for _, c := range cols {
		var vs []float64
		for _, v := range c.values {
			if v > 0 {
				vs = append(vs, v)
			}
		}
		if len(vs) > 0 {
			c.values = vs
			kept = append(kept, c)
		}
	}
	return kept
}

// yAxis sets the y axis to hold every sample and every band: a claimed "under 1 ms" stays
// visible (down to half its top) above data at 10 ms, a "20 MB or more" above 15 MB.
func (f *figure) yAxis(log bool, cols []column, bands []band) error {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, c := range cols {
		for _, v := range c.values {
			if !log || v > 0 {
				lo, hi = min(lo, v), max(hi, v)
			}
		}
	}
	if math.IsInf(lo, 1) {
		return fmt.Errorf("no positive value to draw on a log axis")
	}
	for _, b := range bands {
		if b.lo > 0 {
			lo = min(lo, b.lo)
			hi = max(hi, b.lo*1.3)
		} else if log {
			lo = min(lo, b.hi/2)
		}
		if !math.IsInf(b.hi, 1) {
			hi = max(hi, b.hi)
		}
	}
	p := f.p
	if log {
		p.Y.Min, p.Y.Max = lo/1.5, hi*1.5
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = logTicks{f.yfmt}
		return nil
	}
	p.Y.Min, p.Y.Max = 0, hi*1.1
	if lo < 0 {
		p.Y.Min = lo * 1.1
	}
	return nil
}

// drawBand shades b behind the columns of its language (all columns for none), clipped to
// the y axis; a band wholly off the axis is not drawn.
func (f *figure) drawBand(b band, cols []column) error {
	p := f.p
	x0, x1 := -0.45, float64(len(cols))-0.55
	if b.lang != "" {
		first, last := -1, -1
		for i, c := range cols {
			if strings.HasPrefix(c.impl, b.lang) {
				if first < 0 {
					first = i
				}
				last = i
			}
		}
		if first >= 0 {
			x0, x1 = float64(first)-0.45, float64(last)+0.45
		}
	}
	ylo, yhi := max(b.lo, p.Y.Min), min(b.hi, p.Y.Max)
	if ylo >= yhi {
		return nil
	}
	poly, err := plotter.NewPolygon(plotter.XYs{{X: x0, Y: ylo}, {X: x1, Y: ylo}, {X: x1, Y: yhi}, {X: x0, Y: yhi}})
	if err != nil {
		return err
	}
	c := langColor(b.lang)
	poly.Color = fade(c, 45)
	poly.LineStyle.Color = c
	poly.LineStyle.Width = vg.Points(0.7)
	poly.LineStyle.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	p.Add(poly)
	f.add(b.label, poly)
	return nil
}

// drawColumn draws column i: its samples jittered sideways, its median and interval; the
// first column of an implementation (seen) gets a legend entry.
func (f *figure) drawColumn(i int, c column, log bool, seen map[string]bool) error {
	p := f.p
	clr := langColor(c.impl)
	var pts plotter.XYs
	for j, v := range c.values {
		if log && v <= 0 {
			continue
		}
		pts = append(pts, plotter.XY{X: float64(i) + jitter(j, len(c.values)), Y: v})
	}
	sc, err := plotter.NewScatter(pts)
	if err != nil {
		return err
	}
	sc.GlyphStyle = draw.GlyphStyle{Color: fade(clr, 110), Radius: vg.Points(1.6), Shape: draw.CircleGlyph{}}
	p.Add(sc)
	med, err := plotter.NewScatter(plotter.XYs{{X: float64(i), Y: c.s.Center}})
	if err != nil {
		return err
	}
	med.GlyphStyle = draw.GlyphStyle{Color: clr, Radius: vg.Points(4.5), Shape: variantGlyph(c.impl)}
	if c.s.HasInterval() && c.s.Hi > c.s.Lo {
		p.Add(&plotter.YErrorBars{
			XYs:       plotter.XYs{{X: float64(i), Y: c.s.Center}},
			YErrors:   plotter.YErrors{{Low: c.s.Center - c.s.Lo, High: c.s.Hi - c.s.Center}},
			LineStyle: draw.LineStyle{Color: clr, Width: vg.Points(1.5)},
			CapWidth:  vg.Points(10),
		})
	}
	p.Add(med)
	if !seen[c.impl] {
		seen[c.impl] = true
		text := c.impl + ": median, bar: its confidence interval"
		if !c.s.HasInterval() {
			text = c.impl + ": median (too few samples for an interval)"
			if len(c.values) == 1 {
				text = c.impl + ": one measurement"
			}
		}
		f.add(text, med)
	}
	return nil
}

// jitter spreads a column's samples sideways, the same way every time.
func jitter(j, n int) float64 {
	if n <= 1 {
		return 0
	}
	return 0.3 * (float64(j%9)/8 - 0.5)
}

// logTicks labels 1-2-5 steps of every decade in range (only decades when the range spans
// more than four), so a log axis always carries readable numbers.
type logTicks struct {
	format func(float64) string // the label of a value; nil: a plain number
}

func (lt logTicks) Ticks(lo, hi float64) []plot.Tick {
	label := num
	if lt.format != nil {
		label = lt.format
	}
	if lo <= 0 || hi <= lo {
		return nil
	}
	span := math.Log10(hi / lo)
	var ticks []plot.Tick
	labelled := 0
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
		for m := 1.0; m < 10; m++ {
			v := m * math.Pow(10, e)
			if v < lo || v > hi {
				continue
			}
			major := m == 1 || (span <= 4 && (m == 2 || m == 5)) || span <= 0.7
			t := plot.Tick{Value: v}
			if major {
				t.Label = label(v)
				labelled++
			}
			ticks = append(ticks, t)
		}
	}
	if labelled < 2 {
		for i := range ticks {
			ticks[i].Label = label(ticks[i].Value)
		}
	}
	return ticks
}

// num prints a tick value briefly: 0.5, 20, 1000, 1e+06.
func num(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) }

// valueTicks puts a labelled tick at each given value (the sizes measured).
type valueTicks []float64

func (vt valueTicks) Ticks(lo, hi float64) []plot.Tick {
	var out []plot.Tick
	for _, v := range vt {
		if v >= lo && v <= hi {
			out = append(out, plot.Tick{Value: v, Label: num(v)})
		}
	}
	return out
}

// FontCSS is an @font-face rule carrying the font every chart uses (plot.DefaultFont,
// Liberation), so a page that inlines the charts' SVG needs nothing from the network.
func FontCSS() (string, error) {
	f := font.DefaultCache.Lookup(plot.DefaultFont, vg.Points(10))
	var raw bytes.Buffer
	if _, err := f.Face.WriteSourceTo(nil, &raw); err != nil {
		return "", err
	}
	var buf sfnt.Buffer
	family, err := f.Face.Name(&buf, sfnt.NameIDFamily)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("@font-face{font-family:%q;font-weight:normal;font-style:normal;src:url(data:font/ttf;base64,%s) format(\"truetype\");}",
		family, base64.StdEncoding.EncodeToString(raw.Bytes())), nil
}
