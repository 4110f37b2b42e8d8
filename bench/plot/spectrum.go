package plot

import (
	"fmt"
	"math"
	"slices"

	"github.com/HdrHistogram/hdrhistogram-go"
	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/summary"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Curve is one latency percentile spectrum: the latency at each percentile of one histogram.
type Curve struct {
	Impl      string // colour and marker
	Corrected bool   // solid when corrected (from the scheduled send), dashed when not
	Points    []Percentile
}

// Percentile is one point of a spectrum: the latency V (ns) at percentile P (0..100).
type Percentile struct{ P, V float64 }

// CurveOf reads a histogram's spectrum at ten points per decade of 1/(1-p), as far as its
// count resolves (a histogram of n values says nothing beyond 1/(1-p) = n), then its maximum.
func CurveOf(impl string, corrected bool, h *hdrhistogram.Histogram) Curve {
	c := Curve{Impl: impl, Corrected: corrected}
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
// labelled as percentiles; y is latency in µs on a log scale. Markers sit at the decades.
func spectrum(f *figure, curves []Curve) (*figure, error) {
	p := f.p
	p.X.Label.Text = "percentile (1/(1-p) scale)"
	p.Y.Label.Text = "latency (log scale)"
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
		kind := "corrected"
		if !c.Corrected {
			l.Dashes, l.Color = []vg.Length{vg.Points(4), vg.Points(3)}, fade(clr, 170)
			kind = "uncorrected"
		}
		s.GlyphStyle = draw.GlyphStyle{Color: clr, Radius: vg.Points(3), Shape: variantGlyph(c.Impl)}
		p.Add(l, s)
		f.add(c.Impl+" "+kind, l, s)
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

// spectraCharts draws, for each load level, every server's corrected and uncorrected
// spectrum, from the run's latency histograms (results.LatencyFile); none without them.
func spectraCharts(t *summary.Table) ([]*figure, error) {
	if t.Run == nil || t.Run.Path == "" {
		return nil, nil
	}
	hists, err := results.ReadLatency(t.Run.Path)
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
				curves = append(curves, CurveOf(h.Key.Impl, true, h.Corrected))
			}
			if h.Uncorrected != nil {
				curves = append(curves, CurveOf(h.Key.Impl, false, h.Uncorrected))
			}
		}
		slices.SortStableFunc(curves, func(a, b Curve) int {
			switch {
			case a.Impl < b.Impl:
				return -1
			case a.Impl > b.Impl:
				return 1
			}
			return 0
		})
		f := newFigure("latency-spectrum-"+string(level), fmt.Sprintf("HTTP echo latency spectrum, %s rate", level),
			"Every load window of this rate merged into one HdrHistogram per server. Solid: from the scheduled send (coordinated omission corrected); dashed: from the actual send. Right end: the maximum. The report (lines 2030-2032): Go meets millisecond targets, microsecond targets need Rust.",
			"realtime-latency")
		fig, err := spectrum(f, curves)
		if err != nil {
			return nil, err
		}
		if fig != nil {
			out = append(out, fig)
		}
	}
	return out, nil
}
