package plot

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/gorustbench/gorustbench/bench/claims"
	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/peer"
	"github.com/gorustbench/gorustbench/bench/stats"
	"github.com/gorustbench/gorustbench/bench/suite"
	"github.com/gorustbench/gorustbench/bench/summary"
	"github.com/gorustbench/gorustbench/bench/units"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// chartFunc draws the figures of one subject from the table; none when the run lacks the data.
type chartFunc func(t *summary.Table) ([]*figure, error)

// charts are every chart, in the order the report shows them. A workload adds its chart here:
// a short function that collects columns (or lines) from the table and the claim's Ranges.
var charts = []chartFunc{
	overview, startupService, startupServerless, memoryService, memoryServerless, goResources,
	cpuVsC, matmul, io, throughput, cpuPerRequest, realtime, spectraCharts, pauses, stallSpectra,
	fanout, footprint, compileSpeed, binarySize, ffi, ffiRatio,
}

func one(f *figure, err error) ([]*figure, error) { return []*figure{f}, err }

const (
	ms  = 1e6 // ns per ms
	us  = 1e3 // ns per µs
	mb  = 1e6 // bytes per MB (the report's MB are decimal)
	kib = 1 << 10
)

func echoImpls() []string {
	var out []string
	for _, i := range suite.Echo.Impls {
		out = append(out, i.ID())
	}
	return out
}

func echoKey(impl string) key.Key { return suite.Echo.Key(impl, peer.Params{}) }

// cellOf is a column from the table's cell of k in unit.
func cellOf(t *summary.Table, label, impl string, k key.Key, unit string, scale float64) (column, bool) {
	c, ok := t.Cell(k, unit)
	return cellCol(t, label, impl, c, ok, scale)
}

// startupColumns: the hello programs' exec to exit and the echo services' exec to first 200.
func startupColumns(t *summary.Table, cold bool) []column {
	var cols []column
	if !cold {
		for _, impl := range []string{suite.CStd, suite.GoStd, suite.RustStd} {
			if c, ok := cellOf(t, impl+" hello", impl, suite.Hello.Key(impl, peer.Params{}), units.Exec, ms); ok {
				cols = append(cols, c)
			}
		}
	}
	for _, impl := range echoImpls() {
		label := impl + " echo"
		if cold {
			label += " cold"
		}
		if c, ok := cellOf(t, label, impl, echoKey(impl).Startup(cold), units.First200, ms); ok {
			cols = append(cols, c)
		}
	}
	return cols
}

func startupService(t *summary.Table) ([]*figure, error) {
	f := newFigure("startup-service", "Start-up: exec to exit (hello), exec to first 200 (echo services)",
		"Every run of this profile, warm page cache. The hello programs' exit is a lower bound for a service; the echo services' first 200 is the claim's measure. Shaded: the report's figures (lines 1997-1999) over the language they are about.",
		"startup-service")
	f.yfmt = durationsIn(ms)
	return one(dist(f, "exec to exit or first 200 (log scale)", true, startupColumns(t, false), []band{
		bandOf("startup-service", "go", "go", ms), bandOf("startup-service", "rust", "rust", ms)}))
}

func startupServerless(t *summary.Table) ([]*figure, error) {
	cols := startupColumns(t, true)
	if len(cols) == 0 {
		return nil, nil
	}
	f := newFigure("startup-serverless", "Cold start: exec to first 200 with the page cache dropped",
		"The echo services with the page cache dropped before each start. Shaded: the report's serverless figures (lines 1654, 1672).",
		"startup-serverless")
	f.yfmt = durationsIn(ms)
	return one(dist(f, "exec to first 200 (log scale)", true, cols, []band{
		bandOf("startup-serverless", "go", "go", ms), bandOf("startup-serverless", "rust", "rust", ms)}))
}

// memoryColumns: idle RSS of each echo service, and its peak RSS at the high rate.
func memoryColumns(t *summary.Table) []column {
	var cols []column
	for _, impl := range echoImpls() {
		if c, ok := cellOf(t, impl+" idle", impl, echoKey(impl).Startup(false), units.IdleRSS, mb); ok {
			cols = append(cols, c)
		}
		if c, ok := cellOf(t, impl+" peak, high rate", impl, echoKey(impl).AtLevel(key.High), units.PeakRSS, mb); ok {
			cols = append(cols, c)
		}
	}
	return cols
}

func memoryService(t *summary.Table) ([]*figure, error) {
	f := newFigure("memory-service", "Memory of the echo services: idle RSS, and peak RSS (VmHWM) at the high rate",
		"Idle: VmRSS once the server settled after READY, every start. Peak: VmHWM read by the harness just before SIGTERM, every load window at the high rate. Shaded: the report's figures (lines 2000-2002), in decimal MB.",
		"memory-service")
	return one(dist(f, "MB (10⁶ bytes)", false, memoryColumns(t), []band{
		bandOf("memory-service", "go", "go", mb), bandOf("memory-service", "rust", "rust", mb)}))
}

func memoryServerless(t *summary.Table) ([]*figure, error) {
	f := newFigure("memory-serverless", "Memory of the echo services against the serverless figures",
		"The same samples as the memory chart, against the report's serverless figures (lines 1655, 1673): Go 20 MB and more, Rust under 5 MB.",
		"memory-serverless")
	return one(dist(f, "MB (10⁶ bytes)", false, memoryColumns(t), []band{
		bandOf("memory-serverless", "go", "go", mb), bandOf("memory-serverless", "rust", "rust", mb)}))
}

func goResources(t *summary.Table) ([]*figure, error) {
	var cols []column
	for _, impl := range []string{suite.CStd, suite.GoStd, suite.RustStd} {
		if c, ok := cellOf(t, impl+" hello", impl, suite.Hello.Key(impl, peer.Params{}), units.PeakRSS, mb); ok {
			cols = append(cols, c)
		}
	}
	if n := largestMatmul(t, 1, suite.CNaive, suite.GoNaive, suite.RustNaive); n > 0 {
		for _, impl := range []string{suite.CNaive, suite.GoNaive, suite.RustNaive} {
			if c, ok := cellOf(t, fmt.Sprintf("%s n=%d", impl, n), impl, matmulKey(impl, n, 1), units.PeakRSS, mb); ok {
				cols = append(cols, c)
			}
		}
	}
	f := newFigure("go-resources", "Peak RSS of the same programs in each language",
		"VmHWM read by each peer just before it exits: hello, and the naive matrix multiply at its largest size on one thread. The report (lines 181, 1617) says Go's GC makes it use more memory.",
		"go-resources")
	return one(dist(f, "MB (10⁶ bytes, log scale)", true, cols, nil))
}

func matmulKey(impl string, n, threads int64) key.Key {
	return suite.Matmul.Key(impl, peer.Params{Size: n, Threads: threads})
}

// largestMatmul is the largest size at which every impl has samples of an ok case, or 0.
func largestMatmul(t *summary.Table, threads int64, impls ...string) int64 {
	var best int64
	for _, k := range t.Keys(func(k key.Key) bool { return k.Bench == suite.Matmul.Title && k.Threads.V == threads }) {
		all := true
		for _, impl := range impls {
			if _, ok := t.OK(matmulKey(impl, k.Size.V, threads), units.PerOp); !ok {
				all = false
			}
		}
		if all {
			best = max(best, k.Size.V)
		}
	}
	return best
}

// cpuVsC: each language's naive matmul speed as a fraction of C's, per interleaved round.
func cpuVsC(t *summary.Table) ([]*figure, error) {
	var figs []*figure
	for _, build := range []string{"", "native"} {
		var cols []column
		for _, lang := range []string{"go", "rust"} {
			var perKernel [][]float64
			add := func(label string, ck, lk key.Key) {
				r := stats.Ratios(t.Values(ck, units.PerOp), t.Values(lk, units.PerOp))
				if len(r) == 0 {
					return
				}
				perKernel = append(perKernel, r)
				cols = append(cols, col(lang+" "+label, lang+"-std", r, 1))
			}
			// The same cases the claim judges, chosen by one function.
			for _, p := range claims.KernelPairs(t, build, lang) {
				add(p.Name, p.C, p.Lang)
			}
			// The geometric mean across kernels, one value per round: what the claim judges.
			if len(perKernel) > 1 {
				rounds := len(perKernel[0])
				for _, r := range perKernel {
					rounds = min(rounds, len(r))
				}
				var geo []float64
				for i := range rounds {
					s := 0.0
					for _, r := range perKernel {
						s += math.Log(r[i])
					}
					geo = append(geo, math.Exp(s/float64(len(perKernel))))
				}
				cols = append(cols, col(lang+" geometric mean", lang+"-geomean", geo, 1))
			}
		}
		if len(cols) == 0 {
			continue
		}
		name, title := "cpu-vs-c", "Speed relative to C (-O2), ordinary builds, one thread"
		if build != "" {
			name, title = "cpu-vs-c-native", "Speed relative to C (-O3 -march=native), native builds, one thread"
		}
		f := newFigure(name, title,
			"C's time / the language's time, one value per interleaved round, per kernel and their geometric mean (what the claim judges). Shaded: the report's figures (lines 2003-2005): Go 50-70% of C, Rust 90-100%.",
			"cpu-vs-c")
		fig, err := dist(f, "speed as a fraction of C's (C = 1, log scale)", true, cols, []band{
			bandOf("cpu-vs-c", "go", "go", 1), bandOf("cpu-vs-c", "rust", "rust", 1)})
		if err != nil {
			return figs, err
		}
		if fig != nil {
			figs = append(figs, fig)
		}
	}
	return figs, nil
}

// matmul: GFLOPS by size, one chart per thread count, lines through the medians with their
// intervals, against the machine's estimated peak.
func matmul(t *summary.Table) ([]*figure, error) {
	var threads []int64
	for _, k := range t.Keys(func(k key.Key) bool { return k.Bench == suite.Matmul.Title }) {
		if !slices.Contains(threads, k.Threads.V) {
			threads = append(threads, k.Threads.V)
		}
	}
	slices.Sort(threads)
	var out []*figure
	for _, thr := range threads {
		series := map[string][]point{}
		var order []string
		var sizes []float64
		for _, k := range t.Keys(func(k key.Key) bool { return k.Bench == suite.Matmul.Title && k.Threads.V == thr }) {
			s, ok := t.OK(k, units.GFLOPS)
			if !ok {
				continue
			}
			series[k.Impl] = append(series[k.Impl], point{float64(k.Size.V), s})
			if !slices.Contains(order, k.Impl) {
				order = append(order, k.Impl)
			}
			if !slices.Contains(sizes, float64(k.Size.V)) {
				sizes = append(sizes, float64(k.Size.V))
			}
		}
		if len(series) == 0 {
			continue
		}
		slices.Sort(sizes)
		f := newFigure(fmt.Sprintf("matmul-%dthread", thr), fmt.Sprintf("Matrix multiply, %d thread(s): GFLOPS by size", thr),
			"Median GFLOPS (2n³ / time per multiply) with its confidence interval, per size. Dashed: the naive loop; solid: the libraries (gonum, faer, OpenBLAS). The report (lines 572-590) says Go lacks vectorisation and Rust's SIMD makes it faster.",
			"numeric")
		f.p.X.Label.Text = "n (matrix side, log scale)"
		f.p.X.Scale = plot.LogScale{}
		f.p.X.Tick.Marker = valueTicks(sizes)
		f.p.Y.Label.Text = "GFLOPS"
		f.p.Y.Min = 0
		top := 0.0
		for _, impl := range order {
			if err := lines(f, impl, impl, series[impl], nil); err != nil {
				return nil, err
			}
			for _, q := range series[impl] {
				top = max(top, q.s.Center)
				if q.s.HasInterval() {
					top = max(top, q.s.Hi)
				}
			}
		}
		if h := t.Run.Manifest.Host; h.PeakGFLOPS > 0 && h.CPUs > 0 {
			share := h.PeakGFLOPS * float64(min(int(thr), h.CPUs)) / float64(h.CPUs)
			l, err := plotter.NewLine(plotter.XYs{{X: sizes[0], Y: share}, {X: sizes[len(sizes)-1], Y: share}})
			if err != nil {
				return nil, err
			}
			l.Dashes = []vg.Length{vg.Points(1), vg.Points(3)}
			f.p.Add(l)
			f.add(fmt.Sprintf("estimated peak of %d CPU(s): %.1f GFLOPS", min(int(thr), h.CPUs), share), l)
			top = max(top, share)
		}
		f.p.Y.Max = top * 1.12
		f.p.X.Min, f.p.X.Max = sizes[0]/1.25, sizes[len(sizes)-1]*1.25
		out = append(out, f)
	}
	return out, nil
}

// point is one x of a line chart with the summary of its samples (display units).
type point struct {
	x float64
	s stats.Summary
}

// lines draws a series through its medians, with interval bars, in impl's colour, marker
// and dash. dashes overrides the variant's dash when set.
func lines(f *figure, label, impl string, pts []point, dashes []vg.Length) error {
	slices.SortFunc(pts, func(a, b point) int { return cmp.Compare(a.x, b.x) })
	var xys plotter.XYs
	var errs plotter.YErrors
	for _, q := range pts {
		xys = append(xys, plotter.XY{X: q.x, Y: q.s.Center})
		lo, hi := 0.0, 0.0
		if q.s.HasInterval() {
			lo, hi = q.s.Center-q.s.Lo, q.s.Hi-q.s.Center
		}
		errs = append(errs, struct{ Low, High float64 }{lo, hi})
	}
	l, s, err := plotter.NewLinePoints(xys)
	if err != nil {
		return err
	}
	clr := langColor(impl)
	l.Color, s.Color = clr, clr
	l.Width = vg.Points(1.3)
	l.Dashes = variantDashes(impl)
	if dashes != nil {
		l.Dashes = dashes
	}
	s.Shape, s.Radius = variantGlyph(impl), vg.Points(3.5)
	eb := &plotter.YErrorBars{XYs: xys, YErrors: errs, LineStyle: draw.LineStyle{Color: clr, Width: vg.Points(1)}, CapWidth: vg.Points(6)}
	f.p.Add(l, eb, s)
	f.add(label, l, s)
	return nil
}

// levelCols: one column per echo implementation and load level with samples of unit.
func levelCols(t *summary.Table, unit string, scale float64, levels []key.Level) []column {
	var cols []column
	for _, impl := range echoImpls() {
		for _, l := range levels {
			if c, ok := cellOf(t, impl+" "+string(l), impl, echoKey(impl).AtLevel(l), unit, scale); ok {
				cols = append(cols, c)
			}
		}
	}
	return cols
}

func io(t *summary.Table) ([]*figure, error) {
	f := newFigure("io-model", "HTTP echo, closed loop: requests per second, server on one CPU",
		"Every load window at the maximum (closed-loop) load; the server had one CPU, so this is throughput per core. The report (lines 2006-2008) says async/await performs better than goroutines; it gives no figure.",
		"io-model", "fasthttp-fast")
	return one(dist(f, "k requests/s", false, levelCols(t, units.Throughput, 1e3, []key.Level{key.Max}), nil))
}

// rateSeries: per echo implementation, unit's summary at each open-loop rate, against the
// rate asked for.
func rateSeries(t *summary.Table, unit string, scale float64) (map[string][]point, []string) {
	out := map[string][]point{}
	var order []string
	for _, impl := range echoImpls() {
		for _, l := range key.OpenLevels {
			k := echoKey(impl).AtLevel(l)
			asked, ok1 := t.OK(k, units.TargetRate)
			c, ok2 := t.Cell(k, unit)
			if !ok1 || !ok2 || c.Partial {
				continue
			}
			v := make([]float64, len(c.Values))
			for i, x := range c.Values {
				v[i] = x / scale
			}
			out[impl] = append(out[impl], point{asked.Center / 1e3, stats.Summarize(v)})
			if !slices.Contains(order, impl) {
				order = append(order, impl)
			}
		}
	}
	return out, order
}

func throughput(t *summary.Table) ([]*figure, error) {
	series, order := rateSeries(t, units.Throughput, 1e3)
	if len(order) == 0 {
		return nil, nil
	}
	f := newFigure("throughput", "HTTP echo, open loop: answered against asked rate",
		"Median answered requests/s with its interval at the low, medium and high rates (fractions of the slowest server's maximum, the same for every server). On the diagonal, the server kept up.",
		"io-model", "api-load-economics")
	f.p.X.Label.Text = "asked rate, k requests/s"
	f.p.Y.Label.Text = "answered, k requests/s"
	top := 0.0
	for _, impl := range order {
		for _, q := range series[impl] {
			top = max(top, q.x, q.s.Center)
		}
	}
	d, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: top, Y: top}})
	if err != nil {
		return nil, err
	}
	d.Color = cColor
	d.Dashes = []vg.Length{vg.Points(1), vg.Points(3)}
	f.p.Add(d)
	f.add("answered = asked", d)
	for _, impl := range order {
		if err := lines(f, impl, impl, series[impl], nil); err != nil {
			return nil, err
		}
	}
	f.p.X.Min, f.p.Y.Min = 0, 0
	return one(f, nil)
}

func cpuPerRequest(t *summary.Table) ([]*figure, error) {
	series, order := rateSeries(t, units.CPUPerReq, us)
	if len(order) == 0 {
		return nil, nil
	}
	f := newFigure("cpu-per-request", "HTTP echo: server CPU time per request against asked rate",
		"Server CPU (schedstat run time over the window) per answered request, median and interval at each open-loop rate. The report (lines 2024-2026): at low traffic Go costs no more; at peak Rust saves resources.",
		"api-load-economics")
	f.p.X.Label.Text = "asked rate, k requests/s"
	f.p.Y.Label.Text = "server CPU per request, µs"
	for _, impl := range order {
		if err := lines(f, impl, impl, series[impl], nil); err != nil {
			return nil, err
		}
	}
	f.p.X.Min, f.p.Y.Min = 0, 0
	return one(f, nil)
}

func realtime(t *summary.Table) ([]*figure, error) {
	f := newFigure("realtime-latency", "HTTP echo: p99.9 latency (coordinated omission corrected) by rate",
		"Each load window's p99.9 from the scheduled send. Shaded: the report's reading (lines 2030-2032): Go meets millisecond targets (under 1 ms), microsecond targets need Rust (under 100 µs).",
		"realtime-latency")
	f.yfmt = durationsIn(us)
	return one(dist(f, "p99.9 latency (log scale)", true, levelCols(t, units.LatP999, us, key.OpenLevels), []band{
		bandOf("realtime-latency", "go", "go", us), bandOf("realtime-latency", "rust", "rust", us)}))
}

// pauses: Go's worst GC pause per window and every language's hiccups, on one axis.
func pauses(t *summary.Table) ([]*figure, error) {
	var cols []column
	add := func(label, impl string, k key.Key, unit string) {
		var v []float64
		for _, l := range key.Levels {
			v = append(v, t.Values(k.AtLevel(l), unit)...)
		}
		var pos []float64
		for _, x := range v {
			if x > 0 {
				pos = append(pos, x)
			}
		}
		if len(pos) > 0 {
			cols = append(cols, col(label, impl, pos, us))
		}
	}
	for _, impl := range echoImpls() {
		if strings.HasPrefix(impl, "go") {
			add(impl+" GC pause", impl, echoKey(impl), units.GCPauseMax)
		}
		add(impl+" hiccup p99", impl, echoKey(impl), units.HiccupP99)
		add(impl+" hiccup max", impl, echoKey(impl), units.HiccupMax)
	}
	f := newFigure("pauses", "Stalls under HTTP load: Go's GC pauses and every language's hiccups",
		"Per load window, at every rate: Go's longest stop-the-world pause (runtime/metrics, its bucket's upper bound), and the hiccup meter (a thread sleeping 1 ms: how late it woke, p99 and worst). Shaded: the report's 'sub-millisecond' GC pause (lines 181, 2009-2011). The report also says Rust's latency is more predictable (lines 2011, 724, 2020).",
		"gc-pauses", "predictability")
	f.yfmt = durationsIn(us)
	return one(dist(f, "pause or lateness (log scale)", true, cols, []band{bandOf("gc-pauses", "go", "go", us)}))
}

// fanout: messages per second, one chart per shape, every implementation.
func fanout(t *summary.Table) ([]*figure, error) {
	type shape struct{ m, k, b, thr int64 }
	var shapes []shape
	for _, k := range t.Keys(func(k key.Key) bool { return k.Bench == suite.Fanout.Title }) {
		if s := (shape{k.Size.V, k.Workers.V, k.Capacity.V, k.Threads.V}); !slices.Contains(shapes, s) {
			shapes = append(shapes, s)
		}
	}
	var out []*figure
	for _, s := range shapes {
		var cols []column
		for _, impl := range suite.Fanout.Impls {
			k := key.Key{Bench: suite.Fanout.Title, Impl: impl.ID(), Size: key.N(s.m), Workers: key.N(s.k), Capacity: key.N(s.b), Threads: key.N(s.thr)}
			var rate []float64
			for _, x := range t.Values(k, units.PerOp) {
				if x > 0 {
					rate = append(rate, 1e9/x)
				}
			}
			if len(rate) > 0 {
				cols = append(cols, col(impl.ID(), impl.ID(), rate, 1e6))
			}
		}
		f := newFigure(fmt.Sprintf("fanout-m%d-k%d-b%d-t%d", s.m, s.k, s.b, s.thr),
			fmt.Sprintf("Channel fan-out, M=%d messages, K=%d workers, capacity B=%d, %d thread(s)", s.m, s.k, s.b, s.thr),
			"Messages per second, one value per run (M / the peer's timed region). The report (lines 342, 384, 716, 860) says Rust's lock-free channels (crossbeam, flume) outperform; it gives no figure.",
			"channel-throughput")
		fig, err := dist(f, "million messages/s", false, cols, nil)
		if err != nil {
			return nil, err
		}
		out = append(out, fig)
	}
	return out, nil
}

func footprint(t *summary.Table) ([]*figure, error) {
	keys := t.Keys(func(k key.Key) bool { return k.Bench == suite.Footprint.Title })
	slices.SortStableFunc(keys, func(a, b key.Key) int { return strings.Compare(a.Impl, b.Impl) })
	var cols []column
	for _, k := range keys {
		if c, ok := cellOf(t, fmt.Sprintf("%s N=%d", k.Impl, k.Size.V), k.Impl, k, units.RSSPerTask, kib); ok {
			cols = append(cols, c)
		}
	}
	f := newFigure("footprint", "Parked tasks: resident memory per task",
		"(VmRSS parked - VmRSS before) / N, every run. Shaded: the report's 'about 2 KB per goroutine' (line 201), read as 1-4 KiB.",
		"goroutine-footprint")
	return one(dist(f, "KiB per task (log scale)", true, cols, []band{bandOf("goroutine-footprint", "go", "go", kib)}))
}

var langs = []string{"c", "go", "rust"}

func compileSpeed(t *summary.Table) ([]*figure, error) {
	var abs, ratio []column
	for _, kind := range []string{"clean", "rebuild"} {
		for _, lang := range langs {
			if c, ok := cellOf(t, lang+" "+kind, lang, key.BuildTime(lang, kind), units.Build, 1e9); ok {
				abs = append(abs, c)
			}
		}
		g, ok1 := t.OK(key.BuildTime("go", kind), units.Build)
		r, ok2 := t.OK(key.BuildTime("rust", kind), units.Build)
		if ok1 && ok2 && g.Center > 0 {
			ratio = append(ratio, col("Rust/Go "+kind, "rust", []float64{r.Center / g.Center}, 1))
		}
	}
	var out []*figure
	f := newFigure("build-time", "Build time of the peers, clean and one file changed",
		"One build each (no interval). The report (lines 152-153): Go compiles much faster.", "compile-speed")
	f.yfmt = durationsIn(1e9)
	fa, err := dist(f, "wall time (log scale)", true, abs, nil)
	if err != nil {
		return nil, err
	}
	fr := newFigure("compile-speed", "Build time, Rust / Go",
		"The ratio of one build each. Shaded: the claim's reading, 'much faster' as at least twice (lines 152-153).", "compile-speed")
	fr, err = dist(fr, "Rust's build time / Go's (log scale)", true, ratio, []band{bandOf("compile-speed", "rust/go", "", 1)})
	return append(out, fa, fr), err
}

func binarySize(t *summary.Table) ([]*figure, error) {
	var cols []column
	for _, lang := range langs {
		k := key.BinarySize(lang, "hello")
		if c, ok := cellOf(t, lang+" hello as built", lang, k, units.Binary, 1e3); ok {
			cols = append(cols, c)
		}
		if c, ok := cellOf(t, lang+" hello stripped", lang, k, units.Stripped, 1e3); ok {
			cols = append(cols, c)
		}
	}
	f := newFigure("binary-size", "Size of the hello program's executable",
		"As built and after strip. Shaded: the report's figures (lines 152, 1251): Rust ~100 KB (read as 50-200 KB), Go several MB.",
		"binary-size")
	return one(dist(f, "kB (10³ bytes, log scale)", true, cols, []band{
		bandOf("binary-size", "rust", "rust", 1e3), bandOf("binary-size", "go", "go", 1e3)}))
}

func ffi(t *summary.Table) ([]*figure, error) {
	var cols []column
	for _, k := range t.Keys(func(k key.Key) bool { return k.Bench == suite.FFI.Title }) {
		if c, ok := cellOf(t, k.Impl, k.Impl, k, units.PerOp, 1); ok {
			cols = append(cols, c)
		}
	}
	f := newFigure("ffi", "Cost of one call of a trivial C function, and of a plain call",
		"Nanoseconds per call, every run. The report (lines 1075, 1095, 1099): a cgo call has overhead, a large one; Rust's FFI has none.",
		"ffi-cost", "cgo-overhead-large", "interop-efficiency")
	f.yfmt = durationsIn(1)
	return one(dist(f, "time per call (log scale)", true, cols, nil))
}

func ffiRatio(t *summary.Table) ([]*figure, error) {
	var cols []column
	pair := func(label, impl, a, b string) {
		ka := key.Key{Bench: suite.FFI.Title, Impl: a, Size: key.N(0), Threads: key.N(1)}
		kb := ka
		kb.Impl = b
		va, vb := valuesOf(t, ka), valuesOf(t, kb)
		var r []float64
		for i := range min(len(va), len(vb)) {
			if vb[i] > 0 {
				r = append(r, va[i]/vb[i])
			}
		}
		if len(r) > 0 {
			cols = append(cols, col(label, impl, r, 1))
		}
	}
	pair("Go: cgo / plain", suite.GoCgo, suite.GoCgo, suite.GoPlain)
	pair("Rust: FFI / plain", suite.RustFFI, suite.RustFFI, suite.RustPlain)
	f := newFigure("ffi-ratio", "FFI overhead: time per call relative to a plain call",
		"Per interleaved round: the FFI call's time / the plain non-inlined call's. Shaded: the report's figures: Rust's FFI zero overhead (lines 1075, 1095; read as 0.9-1.1), cgo's overhead large (line 1099; read as 5 or more).",
		"ffi-cost", "cgo-overhead-large")
	return one(dist(f, "time ratio (log scale)", true, cols, []band{
		bandOf("ffi-cost", "rust", "rust", 1), bandOf("cgo-overhead-large", "cgo/plain", "go", 1)}))
}

// valuesOf finds k's ns/op samples whatever parameters the FFI key carries.
func valuesOf(t *summary.Table, k key.Key) []float64 {
	if v := t.Values(k, units.PerOp); v != nil {
		return v
	}
	for _, kk := range t.Keys(func(x key.Key) bool { return x.Bench == k.Bench && x.Impl == k.Impl }) {
		return t.Values(kk, units.PerOp)
	}
	return nil
}

// claimed lists the claims that a chart shows, for tests and the report.
func claimed(figs []*figure) map[string]bool {
	out := map[string]bool{}
	for _, f := range figs {
		for _, c := range f.claims {
			out[c] = true
		}
	}
	return out
}
