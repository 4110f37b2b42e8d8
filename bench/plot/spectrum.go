package plot

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/HdrHistogram/hdrhistogram-go"
	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/suite"
	"github.com/gorustbench/gorustbench/bench/summary"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Curve is one percentile spectrum: the value at each percentile of one histogram.
type Curve struct {
	Impl   string // colour and marker
	Label  string // in the legend
	Dashed bool   // the second kind of a pair: uncorrected latency, hiccups beside GC pauses
	Points []Percentile
}

// Percentile is one point of a spectrum: the latency V (ns) at percentile P (0..100).
type Percentile struct{ P, V float64 }

// CurveOf reads a histogram's spectrum at ten points per decade of 1/(1-p), as far as its
// count resolves (a histogram of n values says nothing beyond 1/(1-p) = n), then its maximum.
func CurveOf(impl, label string, dashed bool, h *hdrhistogram.Histogram) Curve {
	c := Curve{Impl: impl, Label: label, Dashed: dashed}
	n := float64(h.TotalCount())
	if n == 0 {
		return c
	}
	for i := 0; ; i++ {
		x := math.Pow(10, float64(i)/10)
		if x >= n {
			break
		}
		p := 100 * (1 - 1/x)
		c.Points = append(c.Points, Percentile{p, float64(h.ValueAtQuantile(p))})
	}
	c.Points = append(c.Points, Percentile{100 * (1 - 1/max(n, 2)), float64(h.Max())})
	return c
}

// spectrum draws percentile curves on the HdrHistogram axis: x is 1/(1-p) on a log scale,
// labelled as percentiles; y is the value (ns, shown as durations) on a log scale. Markers sit
// at the decades.
func spectrum(f *figure, ylabel string, curves []Curve) (*figure, error) {
	p := f.p
	p.X.Label.Text = "percentile (1/(1-p) scale)"
	p.Y.Label.Text = ylabel
	p.X.Scale, p.Y.Scale = plot.LogScale{}, plot.LogScale{}
	p.X.Tick.Marker = percentileTicks{}
	p.Y.Tick.Marker = logTicks{durationsIn(us)}
	lo, hi, xmax := math.Inf(1), math.Inf(-1), 1.0
	drawn := 0
	for _, c := range curves {
		var xys, marks plotter.XYs
		for i, q := range c.Points {
			if q.V <= 0 {
				continue
			}
			x := 1 / (1 - q.P/100)
			xys = append(xys, plotter.XY{X: x, Y: q.V / 1e3})
			if i%10 == 0 || i == len(c.Points)-1 {
				marks = append(marks, plotter.XY{X: x, Y: q.V / 1e3})
			}
			lo, hi, xmax = min(lo, q.V/1e3), max(hi, q.V/1e3), max(xmax, x)
		}
		if len(xys) < 2 {
			continue
		}
		l, err := plotter.NewLine(xys)
		if err != nil {
			return nil, err
		}
		s, err := plotter.NewScatter(marks)
		if err != nil {
			return nil, err
		}
		clr := langColor(c.Impl)
		l.Color, l.Width = clr, vg.Points(1.3)
		if c.Dashed {
			l.Dashes, l.Color = []vg.Length{vg.Points(4), vg.Points(3)}, fade(clr, 170)
		}
		s.GlyphStyle = draw.GlyphStyle{Color: clr, Radius: vg.Points(3), Shape: variantGlyph(c.Impl)}
		p.Add(l, s)
		f.add(c.Label, l, s)
		drawn++
	}
	if drawn == 0 {
		return nil, nil
	}
	p.X.Min, p.X.Max = 1, xmax*1.5
	p.Y.Min, p.Y.Max = lo/1.5, hi*1.5
	return f, nil
}

// percentileTicks labels the decades of 1/(1-p) as percentiles: 0%, 90%, 99%, 99.9%.
type percentileTicks struct{}

func (percentileTicks) Ticks(lo, hi float64) []plot.Tick {
	var out []plot.Tick
	for e := 0.0; math.Pow(10, e) <= hi; e++ {
		x := math.Pow(10, e)
		if x < lo {
			continue
		}
		label := "0%"
		if e > 0 {
			label = fmt.Sprintf("%.*f%%", max(0, int(e)-2), 100*(1-1/x))
		}
		out = append(out, plot.Tick{Value: x, Label: label})
		for m := 2.0; m < 10; m++ {
			if m*x <= hi {
				out = append(out, plot.Tick{Value: m * x})
			}
		}
	}
	return out
}

// claimLine draws a claim's bound (the top of a range that starts at 0) across a spectrum, as
// a dashed line in its language's colour, and keeps it in view.
func claimLine(f *figure, b band, scale float64) error {
	y := b.hi / scale
	l, err := plotter.NewLine(plotter.XYs{{X: f.p.X.Min, Y: y}, {X: f.p.X.Max, Y: y}})
	if err != nil {
		return err
	}
	l.Color, l.Width = langColor(b.lang), vg.Points(1)
	l.Dashes = []vg.Length{vg.Points(1), vg.Points(2)}
	f.p.Add(l)
	f.add(b.label, l)
	f.p.Y.Min, f.p.Y.Max = min(f.p.Y.Min, y/1.5), max(f.p.Y.Max, y*1.5)
	return nil
}

// sortCurves orders curves by implementation, keeping each one's pair together.
func sortCurves(curves []Curve) {
	slices.SortStableFunc(curves, func(a, b Curve) int { return cmp.Compare(a.Impl, b.Impl) })
}

// histograms reads the run's full histograms (results.HistogramFile); none without them.
func histograms(t *summary.Table) ([]*results.Histograms, error) {
	if t.Run == nil || t.Run.Path == "" {
		return nil, nil
	}
	return results.ReadHistograms(t.Run.Path)
}

// spectraCharts draws, for each load level, every server's corrected and uncorrected latency
// spectrum.
func spectraCharts(t *summary.Table) ([]*figure, error) {
	hists, err := histograms(t)
	if err != nil || len(hists) == 0 {
		return nil, err
	}
	var out []*figure
	for _, level := range key.Levels {
		var curves []Curve
		for _, h := range hists {
			if h.Key.Level != level {
				continue
			}
			if h.Corrected != nil {
				curves = append(curves, CurveOf(h.Key.Impl, h.Key.Impl+" corrected", false, h.Corrected))
			}
			if h.Uncorrected != nil {
				curves = append(curves, CurveOf(h.Key.Impl, h.Key.Impl+" uncorrected", true, h.Uncorrected))
			}
		}
		sortCurves(curves)
		f := newFigure("latency-spectrum-"+string(level), fmt.Sprintf("HTTP echo latency spectrum, %s rate", level),
			"Every load window of this rate merged into one HdrHistogram per server. Solid: from the scheduled send (coordinated omission corrected); dashed: from the actual send. Right end: the maximum. The report (lines 2030-2032): Go meets millisecond targets, microsecond targets need Rust.",
			"realtime-latency")
		fig, err := spectrum(f, "latency (log scale)", curves)
		if err != nil {
			return nil, err
		}
		if fig != nil {
			for _, part := range []string{"go", "rust"} {
				if err := claimLine(fig, bandOf("realtime-latency", part, part, 1), 1e3); err != nil {
					return nil, err
				}
			}
			out = append(out, fig)
		}
	}
	return out, nil
}

// stallSpectra draws Go's GC pause histogram and every language's hiccup histogram under HTTP
// load on one axis: every window of every rate merged per server.
func stallSpectra(t *summary.Table) ([]*figure, error) {
	hists, err := histograms(t)
	if err != nil || len(hists) == 0 {
		return nil, err
	}
	merged := map[string]*results.Histograms{}
	var impls []string
	for _, h := range hists {
		if h.Key.Bench != suite.Echo.Title || (h.GCPause == nil && h.Hiccup == nil) {
			continue
		}
		m := merged[h.Key.Impl]
		if m == nil {
			m = &results.Histograms{Key: h.Key}
			merged[h.Key.Impl] = m
			impls = append(impls, h.Key.Impl)
		}
		for _, p := range []struct{ dst, src **hdrhistogram.Histogram }{{&m.GCPause, &h.GCPause}, {&m.Hiccup, &h.Hiccup}} {
			if *p.src == nil {
				continue
			}
			if *p.dst == nil {
				*p.dst = hdrhistogram.Import((*p.src).Export())
			} else {
				(*p.dst).Merge(*p.src)
			}
		}
	}
	var curves []Curve
	for _, impl := range impls {
		if h := merged[impl].GCPause; h != nil {
			curves = append(curves, CurveOf(impl, impl+" GC pauses", false, h))
		}
		if h := merged[impl].Hiccup; h != nil {
			curves = append(curves, CurveOf(impl, impl+" hiccups (lateness of a 1 ms sleep)", true, h))
		}
	}
	sortCurves(curves)
	f := newFigure("stalls-spectrum", "Stalls under HTTP load: Go's GC pauses and every language's hiccups",
		"Every window at every rate merged per server. Solid: Go's stop-the-world pauses (runtime/metrics, each bucket at its upper bound); dashed: the hiccup meter. The report: Go's pauses are sub-millisecond (lines 181, 2009-2011), Rust's latency more predictable (lines 2011, 724, 2020).",
		"gc-pauses", "predictability")
	fig, err := spectrum(f, "pause or lateness (log scale)", curves)
	if err != nil || fig == nil {
		return nil, err
	}
	return []*figure{fig}, claimLine(fig, bandOf("gc-pauses", "go", "go", 1), 1e3)
}
