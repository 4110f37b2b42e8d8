package plot

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"github.com/gorustbench/gorustbench/bench/claims"
	"github.com/gorustbench/gorustbench/bench/summary"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// OverviewName is the name of the overview chart (charts/overview.svg): every claim at once.
const OverviewName = "overview"

// VerdictColor is the colour of a verdict, the same in every chart and page: holds green,
// contradicted red, inconclusive amber, depends violet, not measured grey; a verdict word this
// version does not know gets a neutral slate.
func VerdictColor(verdict string) color.RGBA {
	switch verdict {
	case claims.Holds:
		return color.RGBA{26, 127, 55, 255}
	case claims.Contradicted:
		return color.RGBA{179, 38, 30, 255}
	case claims.Inconclusive:
		return color.RGBA{176, 125, 0, 255}
	case "depends":
		return color.RGBA{111, 66, 193, 255}
	case claims.NotMeasured:
		return color.RGBA{150, 150, 150, 255}
	}
	return color.RGBA{84, 110, 122, 255}
}

// overviewVerdicts are the verdicts the legend names, in its order.
var overviewVerdicts = []string{claims.Holds, claims.Contradicted, claims.Inconclusive, "depends", claims.NotMeasured}

// The overview's horizontal axis: a ratio to the claimed bound, clamped to this span.
const overviewMin, overviewMax = 1e-3, 1e3

// overview is the forest plot of every claim, judged on t; nothing when no claim has a figure.
func overview(t *summary.Table) ([]*figure, error) {
	heads := claims.Headlines(t)
	if !slices.ContainsFunc(heads, claims.Headline.OK) {
		return nil, nil
	}
	return one(overviewFigure(claims.Evaluate(t), heads))
}

// Overview draws the overview chart of a run's verdicts and headlines as SVG (its font:
// FontCSS), for a page that shows several runs.
func Overview(verdicts []claims.Verdict, heads []claims.Headline) (svg []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the plotting library failed: %v", r)
		}
	}()
	f, err := overviewFigure(verdicts, heads)
	if err != nil {
		return nil, err
	}
	return f.render("svg")
}

// overviewFigure is a forest plot: one row per claim, top to bottom in the registry's order;
// each headline figure divided by its claimed bound (Headline.Bound), on one log axis, so 1 is
// the bound of every claim; its interval as a bar, its median as a dot, coloured by the claim's
// verdict; the claimed range shaded behind it. A claim with no single figure shows its row
// label and why.
func overviewFigure(verdicts []claims.Verdict, heads []claims.Headline) (*figure, error) {
	f := newFigure(OverviewName, "Every claim: the headline figure against the report's claimed range",
		"One row per claim. Each headline figure (dot: median; bar: its interval) is divided by the claim's bound, the lower end of the claimed range (or its upper end for a claim of 'under'), so 1 is the bound for every claim and the log axis compares them all. Shaded: the claimed range. Colour: the claim's verdict, which rests on all its parts, not on the headline alone. An arrow at an edge: the figure lies beyond the axis.")
	f.height = vg.Points(float64(15*len(heads) + 60))
	p := f.p
	verdict := map[string]claims.Verdict{}
	for _, v := range verdicts {
		verdict[v.Claim] = v
	}
	lo, hi := overviewSpan(heads)
	o := overviewAxis{n: len(heads), xmin: lo / 1.5, xmax: hi * 1.5}
	p.X.Min, p.X.Max = o.xmin, o.xmax
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = logTicks{}
	p.X.Label.Text = "headline / the claimed bound (log scale; 1 = the bound)"
	p.Y.Min, p.Y.Max = -0.7, float64(o.n)-0.3
	var names []string
	var notes plotter.XYLabels
	var bandThumb plot.Thumbnailer
	seen := map[string]plot.Thumbnailer{}
	var order []string // verdict words in the order first drawn
	for i, h := range heads {
		word := verdict[h.Claim].Verdict
		if word == "" {
			word = claims.NotMeasured
		}
		names = append(names, h.Claim)
		if !h.OK() || h.Bound() <= 0 {
			notes.XYs = append(notes.XYs, plotter.XY{X: o.xmin * 1.15, Y: o.y(i)})
			notes.Labels = append(notes.Labels, word+": "+shorten(h.Missing, 70))
			continue
		}
		band, dot, err := o.row(p, i, h, VerdictColor(word))
		if err != nil {
			return nil, err
		}
		if band != nil {
			bandThumb = band
		}
		if _, ok := seen[word]; !ok {
			seen[word] = dot
			order = append(order, word)
		}
	}
	one, err := plotter.NewLine(plotter.XYs{{X: 1, Y: p.Y.Min}, {X: 1, Y: p.Y.Max}})
	if err != nil {
		return nil, err
	}
	one.LineStyle = draw.LineStyle{Color: cColor, Width: vg.Points(0.8), Dashes: []vg.Length{vg.Points(3), vg.Points(2)}}
	p.Add(one)
	if err := addNotes(p, notes); err != nil {
		return nil, err
	}
	slices.Reverse(names) // NominalY labels from the bottom up
	p.NominalY(names...)
	p.Y.Tick.Label.Font.Size = vg.Points(8)
	for _, w := range overviewVerdicts {
		if th, ok := seen[w]; ok {
			f.add(w, th)
		}
	}
	for _, w := range order {
		if !slices.Contains(overviewVerdicts, w) {
			f.add(w, seen[w]) // a verdict word this version does not name: neutral colour
		}
	}
	if bandThumb != nil {
		f.add("the report's claimed range", bandThumb)
	}
	f.add("1: the claimed bound", one)
	return f, nil
}

// overviewClamp bounds a figure's place on the overview's axis.
func overviewClamp(v float64) float64 { return math.Min(math.Max(v, overviewMin), overviewMax) }

// overviewSpan is the span of the headline figures over their bounds (and the claimed ranges'
// upper ends), clamped, and at least [0.1, 10].
func overviewSpan(heads []claims.Headline) (lo, hi float64) {
	lo, hi = 0.1, 10.0
	for _, h := range heads {
		if !h.OK() || h.Bound() <= 0 {
			continue
		}
		b := h.Bound()
		for _, v := range []float64{h.Value, h.Lo, h.Hi} {
			if v > 0 && !math.IsNaN(v) {
				lo, hi = math.Min(lo, overviewClamp(v/b)), math.Max(hi, overviewClamp(v/b))
			}
		}
		if r := h.Range.Hi / b; !math.IsInf(r, 1) {
			hi = math.Max(hi, overviewClamp(r))
		}
	}
	return lo, hi
}

// overviewAxis places the overview's rows: n of them, top to bottom, on [xmin, xmax].
type overviewAxis struct {
	n          int
	xmin, xmax float64
}

// y is row i's height: the first row at the top.
func (o overviewAxis) y(i int) float64 { return float64(o.n - 1 - i) }

// row draws headline h at row i: its claimed range shaded, its interval as a bar, its median
// as a dot (an arrow at the edge when beyond the axis), in clr. It returns the band (nil if
// none shows) and the dot, for the legend.
func (o overviewAxis) row(p *plot.Plot, i int, h claims.Headline, clr color.Color) (band, dot plot.Thumbnailer, err error) {
	b := h.Bound()
	y := o.y(i)
	x0, x1 := math.Max(h.Range.Lo/b, o.xmin), math.Min(h.Range.Hi/b, o.xmax)
	if x0 < x1 {
		poly, err := plotter.NewPolygon(plotter.XYs{{X: x0, Y: y - 0.32}, {X: x1, Y: y - 0.32}, {X: x1, Y: y + 0.32}, {X: x0, Y: y + 0.32}})
		if err != nil {
			return nil, nil, err
		}
		poly.Color = fade(cColor, 40)
		poly.LineStyle.Width = 0
		p.Add(poly)
		band = poly
	}
	if h.HasInterval() && h.Hi > h.Lo {
		l, err := plotter.NewLine(plotter.XYs{{X: math.Max(overviewClamp(h.Lo/b), o.xmin), Y: y}, {X: math.Min(overviewClamp(h.Hi/b), o.xmax), Y: y}})
		if err != nil {
			return nil, nil, err
		}
		l.LineStyle = draw.LineStyle{Color: clr, Width: vg.Points(2.2)}
		p.Add(l)
	}
	x := h.Value / b
	glyph := draw.GlyphDrawer(draw.CircleGlyph{})
	switch {
	case x <= o.xmin:
		x, glyph = o.xmin*1.05, arrowGlyph{left: true}
	case x >= o.xmax:
		x, glyph = o.xmax/1.05, arrowGlyph{}
	}
	sc, err := plotter.NewScatter(plotter.XYs{{X: x, Y: y}})
	if err != nil {
		return nil, nil, err
	}
	sc.GlyphStyle = draw.GlyphStyle{Color: clr, Radius: vg.Points(4), Shape: glyph}
	p.Add(sc)
	return band, sc, nil
}

// addNotes writes the rows that have no figure: their verdict and why, small and grey.
func addNotes(p *plot.Plot, notes plotter.XYLabels) error {
	if len(notes.XYs) == 0 {
		return nil
	}
	l, err := plotter.NewLabels(notes)
	if err != nil {
		return err
	}
	for i := range l.TextStyle {
		l.TextStyle[i].Color = color.RGBA{110, 110, 110, 255}
		l.TextStyle[i].Font.Size = vg.Points(7.5)
		l.TextStyle[i].YAlign = draw.YCenter
	}
	p.Add(l)
	return nil
}

// arrowGlyph marks a figure beyond the axis: a triangle pointing out.
type arrowGlyph struct{ left bool }

func (a arrowGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r := sty.Radius
	d := r
	if a.left {
		d = -r
	}
	var path vg.Path
	path.Move(vg.Point{X: pt.X + d, Y: pt.Y})
	path.Line(vg.Point{X: pt.X - d, Y: pt.Y + r})
	path.Line(vg.Point{X: pt.X - d, Y: pt.Y - r})
	path.Close()
	c.SetColor(sty.Color)
	c.Fill(path)
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimRight(string(r[:n-1]), " ;,") + "…"
}
