package claims

import (
	"fmt"
	"math"

	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/stats"
	"github.com/gorustbench/gorustbench/bench/suite"
	"github.com/gorustbench/gorustbench/bench/summary"
	"github.com/gorustbench/gorustbench/bench/units"
)

// Headline is the one figure that answers a claim most directly, for a table row or a chart
// row: a median (or ratio) with its interval, and the range the report claims for it. It does
// not decide anything: the verdict does, on every part; the headline is what a reader looks at
// first. A claim decided by a majority of programs or shapes has no single figure: Missing says
// so.
type Headline struct {
	Claim string
	// What names the figure: "Go / Rust exec to first 200 (go-std / rust-axum)".
	What string
	// Value is the median (or the ratio's median); Lo and Hi its interval, NaN without one.
	Value, Lo, Hi float64
	// Confidence is the interval's actual level; 0 without an interval. Interval, when set,
	// says what the interval is when it is not a confidence interval ("bucket bounds").
	Confidence float64
	Interval   string
	N          int
	// Unit is Range.Unit: a units name (formatted by units.Format) or a ratio's description.
	Unit string
	// Range is the claimed range Value is read against; for a claimed ordering with no figure,
	// a ratio's range from 1.
	Range Range
	// Missing says why there is no figure ("" when there is one).
	Missing string
}

// OK reports whether the headline has a figure.
func (h Headline) OK() bool { return h.Missing == "" && !math.IsNaN(h.Value) }

// HasInterval reports whether the figure has an interval.
func (h Headline) HasInterval() bool { return !math.IsNaN(h.Lo) && !math.IsNaN(h.Hi) }

// Bound is the claimed range's reference end, the 1 of a chart drawn as a ratio to the claim:
// its lower end when it has one above 0 (the claimed minimum), else its upper end.
func (h Headline) Bound() float64 {
	if h.Range.Lo > 0 {
		return h.Range.Lo
	}
	return h.Range.Hi
}

// Format renders a value of the headline's unit: units.Format for a known unit, three
// significant digits for a ratio.
func (h Headline) Format(v float64) string {
	if _, ok := units.Lookup(h.Unit); ok {
		return units.Format(h.Unit, v)
	}
	return units.Float(v)
}

// Text cites the figure briefly: "1.05 [0.968, 1.38] 95%, n=6"; "2.65 (no interval, n=3)";
// the reason when it is missing.
func (h Headline) Text() string {
	if !h.OK() {
		return h.Missing
	}
	switch {
	case h.HasInterval() && h.Lo == h.Hi && h.Lo == h.Value:
		return fmt.Sprintf("%s (exact, n=%d)", h.Format(h.Value), h.N)
	case h.HasInterval() && h.Interval != "":
		return fmt.Sprintf("%s [%s, %s] %s, n=%d", h.Format(h.Value), h.Format(h.Lo), h.Format(h.Hi), h.Interval, h.N)
	case h.HasInterval():
		return fmt.Sprintf("%s [%s, %s] %s, n=%d", h.Format(h.Value), h.Format(h.Lo), h.Format(h.Hi), pct(h.Confidence), h.N)
	}
	return fmt.Sprintf("%s (no interval, n=%d)", h.Format(h.Value), h.N)
}

// Claimed is the claimed range briefly: its label without "report: ".
func (h Headline) Claimed() string {
	l := h.Range.Label
	if len(l) > len("report: ") && l[:len("report: ")] == "report: " {
		return l[len("report: "):]
	}
	return l
}

// Headlines gives every claim of the registry its headline on a run, in the registry's order.
func Headlines(t *summary.Table) []Headline {
	e := &Evidence{T: t, Build: t.Run.Manifest.Build}
	var out []Headline
	for _, c := range Registry {
		h := Headline{Claim: c.ID, Value: math.NaN(), Lo: math.NaN(), Hi: math.NaN()}
		f := headlines[c.ID]
		switch {
		case !c.Measurable():
			h.Missing = "not measured: " + c.pending
		case f == nil:
			h.Missing = "no single figure: see the claim's parts"
		default:
			h = f(e, c, h)
		}
		out = append(out, h)
	}
	return out
}

// ordering is the range of a claimed ordering with no figure: the ratio at or above 1.
func ordering(label, unit string) Range {
	return Range{Part: "ordering", Lo: 1, Hi: inf, Unit: unit, Label: label}
}

// rangeOf is c's range for part, if the registry states one.
func rangeOf(c *Claim, part string) (Range, bool) {
	for _, r := range c.Ranges {
		if r.Part == part {
			return r, true
		}
	}
	return Range{}, false
}

// withSummary fills h from a median's summary of k in unit against the claim's range part.
func (e *Evidence) withSummary(h Headline, c *Claim, part string, k key.Key, unit, what string) Headline {
	r, ok := rangeOf(c, part)
	if !ok {
		h.Missing = "the claim states no range for " + part
		return h
	}
	s, ok := e.Summary(k, unit)
	if !ok {
		h.Missing = e.caseReason(k)
		return h
	}
	h.What, h.Range, h.Unit = what, r, unit
	h.Value, h.Lo, h.Hi, h.Confidence, h.N = s.Center, s.Lo, s.Hi, s.Confidence, s.N
	return h
}

// withRatio fills h from a ratio against r.
func withRatio(h Headline, r Range, ratio stats.Ratio, what string) Headline {
	h.What, h.Range, h.Unit = what, r, r.Unit
	h.Value, h.Lo, h.Hi, h.Confidence, h.N = ratio.Center, ratio.Lo, ratio.Hi, ratio.Confidence, ratio.N
	if math.IsNaN(ratio.Center) {
		h.Missing = "no rounds in common to pair"
	}
	return h
}

// pairedHeadline is the per-round ratio a/b in unit, against r.
func (e *Evidence) pairedHeadline(h Headline, r Range, a, b key.Key, unit, what string) Headline {
	if r.Hi <= r.Lo {
		h.Missing = "the claim states no range for this figure"
		return h
	}
	for _, k := range []key.Key{a, b} {
		if !e.ok(k) {
			h.Missing = e.caseReason(k)
			return h
		}
		if len(e.T.Values(k, unit)) == 0 {
			h.Missing = fmt.Sprintf("no %s samples of %s", unit, k)
			return h
		}
	}
	return withRatio(h, r, stats.PairedRatioAt(e.T.Values(a, unit), e.T.Values(b, unit), e.T.Level(a, b)), what)
}

// headlineFunc computes a claim's headline; h comes with Claim set and NaN figures.
type headlineFunc func(e *Evidence, c *Claim, h Headline) Headline

// majorityOf is the headline of a claim decided by a majority of programs or shapes.
func majorityOf(what string) headlineFunc {
	return func(e *Evidence, c *Claim, h Headline) Headline {
		h.Missing = "no single figure: decided by a majority of " + what
		return h
	}
}

// headlines are the claims' headline figures, by claim id; a claim without one shows its
// verdict alone.
var headlines = map[string]headlineFunc{
	"startup-service": func(e *Evidence, c *Claim, h Headline) Headline {
		r, _ := rangeOf(c, "go/rust")
		goK, rustK, unit := echoKey(goIdiomatic).Startup(false), echoKey(rustIdiomatic).Startup(false), units.First200
		what := "Go / Rust exec to first 200, warm (go-std / rust-axum)"
		if !e.hasEcho() {
			goK, rustK, unit, what = helloKey("go-std"), helloKey("rust-std"), units.Exec, "Go / Rust hello exec to exit"
		}
		return e.pairedHeadline(h, r, goK, rustK, unit, what)
	},
	"startup-serverless": func(e *Evidence, c *Claim, h Headline) Headline {
		k := echoKey(goIdiomatic).Startup(true)
		if _, ok := e.Summary(k, units.First200); !ok {
			h.Missing = "no cold start of go-std (the page cache could not be dropped, or the echo services did not run)"
			return h
		}
		return e.withSummary(h, c, "go", k, units.First200, "go-std cold exec to first 200")
	},
	"memory-service": func(e *Evidence, c *Claim, h Headline) Headline {
		return e.withSummary(h, c, "go", echoKey(goIdiomatic).Startup(false), units.IdleRSS, "go-std idle RSS after READY")
	},
	"memory-serverless": func(e *Evidence, c *Claim, h Headline) Headline {
		return e.withSummary(h, c, "go", echoKey(goIdiomatic).Startup(false), units.IdleRSS, "go-std idle RSS after READY")
	},
	"cpu-vs-c": func(e *Evidence, c *Claim, h Headline) Headline {
		r, ok := rangeOf(c, "go")
		if !ok {
			h.Missing = "the claim states no range for go"
			return h
		}
		for _, b := range []struct{ build, label string }{{"", "ordinary"}, {"native", "native"}} {
			if rounds, _, ks := e.kernelRounds(b.build, "go"); len(rounds) > 0 {
				return withRatio(h, r, stats.GeoMeanAt(rounds, e.T.Level(ks...)), fmt.Sprintf("Go's speed relative to C, %s build, geometric mean over %d kernel(s)", b.label, len(rounds)))
			}
		}
		h.Missing = "no kernel ended ok in both C and Go"
		return h
	},
	"gc-pauses": func(e *Evidence, c *Claim, h Headline) Headline {
		r, ok := rangeOf(c, "go")
		if !ok {
			h.Missing = "the claim states no range for go"
			return h
		}
		worst, n := 0.0, 0
		for _, k := range e.T.Keys(func(k key.Key) bool { return k.Language() == "go" }) {
			maxes, counts := e.T.Values(k, units.GCPauseMax), e.T.Values(k, units.GCPauses)
			for i, v := range maxes {
				if (i < len(counts) && counts[i] > 0) || (len(counts) == 0 && v > 0) {
					worst, n = max(worst, v), n+1
				}
			}
		}
		if n == 0 {
			h.Missing = "no Go run with a GC cycle"
			return h
		}
		h.What, h.Range, h.Unit = "worst Go stop-the-world pause, every run with a GC cycle", r, units.GCPauseMax
		h.Value, h.Lo, h.Hi, h.N = worst, gcPauseLowerBound(worst), worst, n
		h.Interval = "(histogram bucket)"
		return h
	},
	"io-model": func(e *Evidence, c *Claim, h Headline) Headline {
		return e.pairedHeadline(h, ordering("report: Rust async I/O outperforms goroutines", "throughput ratio"),
			echoKey(rustIdiomatic).AtLevel(key.Max), echoKey(goIdiomatic).AtLevel(key.Max), units.Throughput,
			"Rust / Go maximum throughput, one CPU (rust-axum / go-std)")
	},
	"wasm-go-vs-rust": func(e *Evidence, c *Claim, h Headline) Headline {
		gk, ok1 := e.wasmKey(suite.WasmHello, "go")
		rk, ok2 := e.wasmKey(suite.WasmHello, "rust")
		if !ok1 || !ok2 {
			h.Missing = "the .wasm hellos did not run in both languages"
			return h
		}
		return e.pairedHeadline(h, ordering("report: Go's .wasm starts slower", "start-up ratio"), gk, rk, units.Exec,
			"Go / Rust .wasm hello start-up under the same WASI runtime")
	},
	"api-load-economics": func(e *Evidence, c *Claim, h Headline) Headline {
		return e.pairedHeadline(h, Range{Part: "go/rust", Lo: 0, Hi: 1, Closed: true, Unit: "CPU per request ratio", Label: "report: at low traffic Go costs no more"},
			echoKey(goIdiomatic).AtLevel(key.Low), echoKey(rustIdiomatic).AtLevel(key.Low), units.CPUPerReq,
			"Go / Rust server CPU per request at the low rate (go-std / rust-axum)")
	},
	"realtime-latency": func(e *Evidence, c *Claim, h Headline) Headline {
		return e.withSummary(h, c, "go", echoKey(goIdiomatic).AtLevel(key.Medium), units.LatP999, "go-std p99.9 (corrected) at the medium rate")
	},
	"goroutine-footprint": func(e *Evidence, c *Claim, h Headline) Headline {
		var best key.Key
		if len(e.footprintKeys("go-goroutine")) == 0 {
			h.Missing = "the footprint workload did not run"
			return h
		}
		for _, k := range e.footprintKeys("go-goroutine") {
			if s, ok := e.Summary(k, units.RSSPerTask); ok && e.ok(k) && (best.Bench == "" || s.HasInterval()) {
				best = k
			}
		}
		if best.Bench == "" {
			h.Missing = "no goroutine footprint case ended ok"
			return h
		}
		return e.withSummary(h, c, "go", best, units.RSSPerTask, fmt.Sprintf("RSS grown per parked goroutine at N=%d", best.Size.V))
	},
	"channel-throughput":   majorityOf("fan-out shapes"),
	"serialization":        majorityOf("document shapes, part by part"),
	"data-pipeline-memory": majorityOf("document shapes"),
	"go-resources":         majorityOf("programs"),
	"numeric": func(e *Evidence, c *Claim, h Headline) Headline {
		threads := e.matmulThreads()
		if len(threads) == 0 {
			h.Missing = "matmul did not run in this profile"
			return h
		}
		n, ok := e.largestMatmul(threads[0], "go-gonum", "rust-faer")
		if !ok {
			h.Missing = "gonum and faer did not both end ok at any size"
			return h
		}
		return e.pairedHeadline(h, ordering("report: Rust numerics faster", "speed ratio"),
			matmulKey("go-gonum", n, threads[0]), matmulKey("rust-faer", n, threads[0]), units.PerOp,
			fmt.Sprintf("faer's speed relative to gonum (gonum time / faer time), n=%d, %d thread(s)", n, threads[0]))
	},
	"compile-speed": func(e *Evidence, c *Claim, h Headline) Headline {
		r, ok := rangeOf(c, "rust/go")
		if e.Build == nil || !ok {
			h.Missing = "no build record"
			return h
		}
		var g, rs int64
		for _, l := range e.Build.Languages {
			if l.Error == "" && l.CleanNs > 0 {
				switch l.Lang {
				case "go":
					g = l.CleanNs
				case "rust":
					rs = l.CleanNs
				}
			}
		}
		if g == 0 || rs == 0 {
			h.Missing = "no clean build timing of Go or Rust"
			return h
		}
		v := float64(rs) / float64(g)
		h.What, h.Range, h.Unit = "Rust / Go clean build time", r, r.Unit
		h.Value, h.Lo, h.Hi, h.N = v, math.NaN(), math.NaN(), 1
		return h
	},
	"binary-size": func(e *Evidence, c *Claim, h Headline) Headline {
		r, ok := rangeOf(c, "rust")
		if e.Build == nil || !ok {
			h.Missing = "no build record"
			return h
		}
		for _, bin := range e.Build.Binaries {
			if bin.Workload == suite.Hello.Name && bin.Lang == "rust" && bin.Target != "" && bin.StrippedBytes > 0 {
				v := float64(bin.StrippedBytes)
				h.What, h.Range, h.Unit = "Rust hello.wasm, stripped", r, units.Stripped
				h.Value, h.Lo, h.Hi, h.Confidence, h.N = v, v, v, 1, 1
				return h
			}
		}
		h.Missing = "no stripped Rust hello.wasm in the build record"
		return h
	},
	"ffi-cost": func(e *Evidence, c *Claim, h Headline) Headline {
		r, _ := rangeOf(c, "rust")
		return e.pairedHeadline(h, r, ffiKey("rust-ffi"), ffiKey("rust-plain"), units.PerOp, "Rust FFI call / plain call time")
	},
	"cgo-overhead-large": func(e *Evidence, c *Claim, h Headline) Headline {
		r, _ := rangeOf(c, "cgo/plain")
		return e.pairedHeadline(h, r, ffiKey("go-cgo"), ffiKey("go-plain"), units.PerOp, "cgo call / plain Go call time")
	},
	"predictability": func(e *Evidence, c *Claim, h Headline) Headline {
		return e.pairedHeadline(h, Range{Part: "rust/go", Lo: 0, Hi: 1, Unit: "stall ratio", Label: "report: Rust more predictable"},
			echoKey(rustIdiomatic).AtLevel(key.Stalls), echoKey(goIdiomatic).AtLevel(key.Stalls), units.HiccupP99,
			"Rust / Go stalls under load, hiccup p99 (rust-axum / go-std)")
	},
}
