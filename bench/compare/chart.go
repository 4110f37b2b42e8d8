package compare

import (
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/gorustbench/gorustbench/bench/units"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The report's colours (bench/plot): one per language.
var (
	goColor   = color.RGBA{0, 125, 156, 255}
	rustColor = color.RGBA{206, 66, 43, 255}
	cColor    = color.RGBA{110, 110, 110, 255}
)

func langColor(lang string) color.Color {
	switch lang {
	case "go":
		return goColor
	case "rust":
		return rustColor
	}
	return cColor
}

// shade lightens a language's colour for the later columns, so the runs of one
// implementation sit side by side in one hue: the first column solid, the next ones lighter.
func shade(c color.Color, col, cols int) color.Color {
	if col == 0 || cols < 2 {
		return c
	}
	r, g, b, _ := c.RGBA()
	f := 0.55 * float64(col) / float64(cols-1) // up to 55% towards white
	mix := func(v uint32) uint8 { return uint8(float64(v>>8) + (255-float64(v>>8))*f) }
	return color.RGBA{mix(r), mix(g), mix(b), 255}
}

// ChartUnits are the units charted by default, when present.
var ChartUnits = []string{units.Exec, units.PerOp, units.PeakRSS, units.First200, units.Throughput, units.LatP99, units.GFLOPS}

// Charts draws, for every benchmark base (Hello, Matmul, ...) and charted unit, one bar per
// implementation and column: colour by language, lighter for later columns, with the median's
// 95% interval as an error bar. It writes PNG files into dir and returns their names.
func Charts(dir string, t *Table, chartUnits []string) (files []string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the plotting library failed: %v", r)
		}
	}()
	if len(chartUnits) == 0 {
		chartUnits = ChartUnits
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	type group struct{ bench, unit string }
	var order []group
	rows := map[group][]*Row{}
	for _, r := range t.Rows {
		if !slices.Contains(chartUnits, r.Unit) || r.Key.Bench == "Build" || r.Key.Bench == "Binary" {
			continue
		}
		g := group{r.Key.Bench + string(r.Key.Phase), r.Unit}
		if _, ok := rows[g]; !ok {
			order = append(order, g)
		}
		rows[g] = append(rows[g], r)
	}
	for _, g := range order {
		p, err := chart(t, g.bench, g.unit, rows[g])
		if err != nil {
			return files, err
		}
		name := strings.NewReplacer("/", "-per-", " ", "-").Replace(fmt.Sprintf("%s-%s.png", strings.ToLower(g.bench), g.unit))
		if err := p.Save(vg.Length(max(18, 2+1.2*float64(len(rows[g])*len(t.Columns))))*vg.Centimeter, 11*vg.Centimeter, filepath.Join(dir, name)); err != nil {
			return files, err
		}
		files = append(files, name)
	}
	return files, nil
}

type errPoints struct {
	plotter.XYs
	plotter.YErrors
}

func chart(t *Table, bench, unit string, rows []*Row) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = fmt.Sprintf("%s: %s, median and 95%% interval per run", bench, unit)
	scale, label := scaleOf(unit, rows)
	p.Y.Label.Text = label
	p.Legend.Top = true
	var names []string
	x := 0.0
	width := vg.Points(14)
	for _, r := range rows {
		name := strings.TrimPrefix(r.Name, r.Key.Bench+string(r.Key.Phase)+"/")
		for ci := range t.Columns {
			c := r.Cells[ci]
			names = append(names, fmt.Sprintf("%s #%d", name, ci+1))
			if c.Missing() {
				x++
				continue
			}
			bc, err := plotter.NewBarChart(plotter.Values{c.Summary.Center / scale}, width)
			if err != nil {
				return nil, err
			}
			bc.Color = shade(langColor(r.Key.Language()), ci, len(t.Columns))
			bc.LineStyle.Width = 0
			bc.XMin = x
			p.Add(bc)
			if !math.IsNaN(c.Summary.Lo) && !math.IsNaN(c.Summary.Hi) {
				eb, err := plotter.NewYErrorBars(errPoints{
					XYs:     plotter.XYs{{X: x, Y: c.Summary.Center / scale}},
					YErrors: plotter.YErrors{{Low: (c.Summary.Center - c.Summary.Lo) / scale, High: (c.Summary.Hi - c.Summary.Center) / scale}},
				})
				if err != nil {
					return nil, err
				}
				p.Add(eb)
			}
			x++
		}
	}
	for ci, col := range t.Columns {
		swatch, err := plotter.NewBarChart(plotter.Values{0}, width)
		if err != nil {
			return nil, err
		}
		swatch.Color = shade(cColor, ci, len(t.Columns))
		p.Legend.Add(fmt.Sprintf("#%d %s", ci+1, col.Label), swatch)
	}
	p.NominalX(names...)
	p.X.Tick.Label.Rotation = math.Pi / 5
	p.X.Tick.Label.XAlign = draw.XRight
	p.Y.Min = 0
	return p, nil
}

// scaleOf picks a readable axis unit for the rows' values.
func scaleOf(unit string, rows []*Row) (float64, string) {
	top := 0.0
	for _, r := range rows {
		for _, c := range r.Cells {
			if !c.Missing() {
				top = max(top, c.Summary.Center)
			}
		}
	}
	u, _ := units.Lookup(unit)
	switch {
	case u.Format == nil:
		return 1, unit
	case fmt.Sprintf("%p", u.Format) == fmt.Sprintf("%p", units.Duration):
		for _, s := range []struct {
			f    float64
			name string
		}{{1e9, "s"}, {1e6, "ms"}, {1e3, "µs"}} {
			if top >= s.f {
				return s.f, s.name
			}
		}
		return 1, "ns"
	case fmt.Sprintf("%p", u.Format) == fmt.Sprintf("%p", units.Bytes):
		return 1 << 20, "MiB"
	}
	return 1, unit
}
