// Package plot draws a run's charts with gonum/plot, each measurement next to the figure the
// report claims for it, so a reader sees at a glance where the claim stands.
package plot

import (
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gorustbench/gorustbench/bench/claims"
	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/peer"
	"github.com/gorustbench/gorustbench/bench/suite"
	"github.com/gorustbench/gorustbench/bench/summary"
	"github.com/gorustbench/gorustbench/bench/units"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Chart is one written chart.
type Chart struct {
	File    string // relative to the run folder
	Title   string
	Caption string
}

var (
	goColor   = color.RGBA{0, 125, 156, 255}
	rustColor = color.RGBA{206, 66, 43, 255}
	cColor    = color.RGBA{110, 110, 110, 255}
)

func langColor(impl string) color.Color {
	switch {
	case strings.HasPrefix(impl, "go"):
		return goColor
	case strings.HasPrefix(impl, "rust"):
		return rustColor
	}
	return cColor
}

func fade(c color.Color) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 40}
}

// Write draws every chart the run has data for into dir/charts. A chart the plotting library
// cannot draw is an error, never a crash.
func Write(dir string, t *summary.Table) (charts []Chart, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the plotting library failed: %v", r)
		}
	}()
	if err := os.MkdirAll(filepath.Join(dir, "charts"), 0o755); err != nil {
		return nil, err
	}
	var out []Chart
	for _, f := range []func(string, *summary.Table) (*Chart, error){startup, memory, matmul} {
		c, err := f(dir, t)
		if err != nil {
			return out, err
		}
		if c != nil {
			out = append(out, *c)
		}
	}
	return out, nil
}

type bar struct {
	label string
	value float64
}

// medianOf is the median of k's samples in unit, if its case ended ok.
func medianOf(t *summary.Table, k key.Key, unit string) (float64, bool) {
	s, ok := t.OK(k, unit)
	return s.Center, ok
}

// band is a claimed range drawn as a shaded strip across the chart, in the chart's scale.
type band struct {
	lo, hi float64
	label  string
	color  color.Color
}

// bandOf draws a claim's range for part, divided by scale (1e6: ns to ms, bytes to MB). An
// open upper end stops at top.
func bandOf(claim, part string, scale, top float64) band {
	r := claims.Lookup(claim).Range(part)
	hi := r.Hi
	if math.IsInf(hi, 1) {
		hi = top * scale
	}
	return band{r.Lo / scale, hi / scale, fmt.Sprintf("%s (line %s)", r.Label, claims.Lookup(claim).Lines), langColor(part)}
}

// bars draws one bar per value, colored by language, over the claimed bands.
func bars(title, ylabel string, log bool, data []bar, bands []band) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = title
	p.Y.Label.Text = ylabel
	p.Legend.Top = true
	n := float64(len(data))
	if log {
		// A log axis has no 0: a band that starts there starts at the axis' bottom instead.
		bottom := math.Inf(1)
		for _, d := range data {
			bottom = min(bottom, d.value/2)
		}
		for i := range bands {
			if bands[i].lo <= 0 {
				bands[i].lo = bottom
			}
		}
	}
	for _, b := range bands {
		poly, err := plotter.NewPolygon(plotter.XYs{{X: -0.5, Y: b.lo}, {X: n - 0.5, Y: b.lo}, {X: n - 0.5, Y: b.hi}, {X: -0.5, Y: b.hi}})
		if err != nil {
			return nil, err
		}
		poly.Color = fade(b.color)
		poly.LineStyle.Color = b.color
		poly.LineStyle.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(poly)
		p.Legend.Add(b.label, poly)
	}
	var names []string
	for i, d := range data {
		if log {
			// A log axis cannot draw bars (they start at 0): one point per implementation.
			sc, err := plotter.NewScatter(plotter.XYs{{X: float64(i), Y: d.value}})
			if err != nil {
				return nil, err
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: langColor(d.label), Radius: vg.Points(5), Shape: draw.CircleGlyph{}}
			p.Add(sc)
		} else {
			bc, err := plotter.NewBarChart(plotter.Values{d.value}, vg.Points(22))
			if err != nil {
				return nil, err
			}
			bc.Color = langColor(d.label)
			bc.XMin = float64(i)
			p.Add(bc)
		}
		names = append(names, d.label)
	}
	p.NominalX(names...)
	p.X.Tick.Label.Rotation = math.Pi / 5
	p.X.Tick.Label.XAlign = draw.XRight
	if log {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
		lo := math.Inf(1)
		for _, d := range data {
			lo = min(lo, d.value)
		}
		for _, b := range bands {
			lo = min(lo, b.lo)
		}
		p.Y.Min = lo / 2
	} else {
		p.Y.Min = 0
	}
	return p, nil
}

func save(p *plot.Plot, dir, file string) error {
	return p.Save(18*vg.Centimeter, 11*vg.Centimeter, filepath.Join(dir, "charts", file))
}

func startup(dir string, t *summary.Table) (*Chart, error) {
	var data []bar
	for _, impl := range []string{"c-std", "go-std", "rust-std"} {
		if v, ok := medianOf(t, suite.Hello.Key(impl, peer.Params{}), units.Exec); ok {
			data = append(data, bar{"hello " + impl, v / 1e6})
		}
	}
	for _, impl := range echoImpls() {
		if v, ok := medianOf(t, suite.Echo.Key(impl, peer.Params{}).Startup(false), units.First200); ok {
			data = append(data, bar{"echo " + impl, v / 1e6})
		}
	}
	if len(data) == 0 {
		return nil, nil
	}
	p, err := bars("Start-up: exec to exit (hello) and to first 200 (echo)", "ms (log scale)", true, relabel(data), []band{
		bandOf("startup-service", "go", 1e6, 0),
		bandOf("startup-service", "rust", 1e6, 0),
	})
	if err != nil {
		return nil, err
	}
	return &Chart{"charts/startup.png", "Start-up", "Medians of this run; shaded: the report's claimed ranges (lines 1997-1999)."}, save(p, dir, "startup.png")
}

func memory(dir string, t *summary.Table) (*Chart, error) {
	var data []bar
	for _, impl := range echoImpls() {
		if v, ok := medianOf(t, suite.Echo.Key(impl, peer.Params{}).Startup(false), units.IdleRSS); ok {
			data = append(data, bar{"echo " + impl + " idle", v / 1e6})
		}
	}
	for _, impl := range echoImpls() {
		if v, ok := medianOf(t, suite.Echo.Key(impl, peer.Params{}).AtLevel(key.High), units.PeakRSS); ok {
			data = append(data, bar{"echo " + impl + " peak", v / 1e6})
		}
	}
	if len(data) == 0 {
		return nil, nil
	}
	p, err := bars("Memory of the echo services: idle RSS, and peak RSS at the high rate", "MB", false, relabel(data), []band{
		bandOf("memory-service", "go", 1e6, 0),
		bandOf("memory-service", "rust", 1e6, 0),
	})
	if err != nil {
		return nil, err
	}
	return &Chart{"charts/memory.png", "Memory", "Medians of this run; shaded: the report's claimed ranges (lines 2000-2002)."}, save(p, dir, "memory.png")
}

// echoImpls are the echo workload's implementation IDs.
func echoImpls() []string {
	var out []string
	for _, i := range suite.Echo.Impls {
		out = append(out, i.ID())
	}
	return out
}

// relabel turns "hello go-std" into "go-std (hello)": the implementation first, so bars
// are colored by language.
func relabel(data []bar) []bar {
	out := make([]bar, len(data))
	for i, d := range data {
		kind, rest, _ := strings.Cut(d.label, " ")
		out[i] = bar{label: rest + " (" + kind + ")", value: d.value}
	}
	return out
}

func matmul(dir string, t *summary.Table) (*Chart, error) {
	type pt struct{ n, g float64 }
	series := map[string][]pt{}
	var order []string
	for _, k := range t.Keys(func(k key.Key) bool { return k.Bench == suite.Matmul.Title && k.Threads.V == 1 }) {
		g, ok := medianOf(t, k, units.GFLOPS)
		if !ok {
			continue
		}
		series[k.Impl] = append(series[k.Impl], pt{float64(k.Size.V), g})
		if !slices.Contains(order, k.Impl) {
			order = append(order, k.Impl)
		}
	}
	if len(series) == 0 {
		return nil, nil
	}
	p := plot.New()
	p.Title.Text = "Matrix multiply, one thread: GFLOPS by size"
	p.X.Label.Text = "n"
	p.Y.Label.Text = "GFLOPS"
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = plot.LogTicks{Prec: -1}
	p.Legend.Top = true
	p.Legend.Left = true
	for _, impl := range order {
		pts := series[impl]
		slices.SortFunc(pts, func(a, b pt) int { return int(a.n - b.n) })
		xys := make(plotter.XYs, len(pts))
		for i, q := range pts {
			xys[i] = plotter.XY{X: q.n, Y: q.g}
		}
		l, s, err := plotter.NewLinePoints(xys)
		if err != nil {
			return nil, err
		}
		l.Color, s.Color = langColor(impl), langColor(impl)
		if strings.HasSuffix(impl, "naive") {
			l.Dashes = []vg.Length{vg.Points(3), vg.Points(2)}
		}
		p.Add(l, s)
		p.Legend.Add(impl, l, s)
	}
	if h := t.Run.Manifest.Host; h.PeakGFLOPS > 0 && h.CPUs > 0 {
		share := h.PeakGFLOPS / float64(h.CPUs)
		xs := []float64{}
		for _, pts := range series {
			for _, q := range pts {
				xs = append(xs, q.n)
			}
		}
		lo, hi := slices.Min(xs), slices.Max(xs)
		l, err := plotter.NewLine(plotter.XYs{{X: lo, Y: share}, {X: hi, Y: share}})
		if err != nil {
			return nil, err
		}
		l.Dashes = []vg.Length{vg.Points(1), vg.Points(3)}
		p.Add(l)
		p.Legend.Add(fmt.Sprintf("one CPU's estimated peak, %.1f", share), l)
	}
	p.Y.Min = 0
	return &Chart{"charts/matmul.png", "Matrix multiply", "Solid: libraries (gonum, faer, OpenBLAS); dashed: the naive loop. The report (lines 572-590) says Go lacks vectorisation and Rust's SIMD makes it faster."}, save(p, dir, "matmul.png")
}
