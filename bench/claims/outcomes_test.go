package claims

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/peer"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/suite"
	"github.com/gorustbench/gorustbench/bench/summary"
	"github.com/gorustbench/gorustbench/bench/units"
	"golang.org/x/perf/benchfmt"
)

// put records an ok case for k (its case name without phase) and n samples of unit spread ±2%
// around center.
func (f *fakeRun) put(k key.Key, unit string, center float64, n int) *fakeRun {
	vals := make([]float64, n)
	r := rand.New(rand.NewPCG(3, uint64(len(k.String())+len(unit))))
	for i := range vals {
		vals[i] = center * (0.98 + 0.04*r.Float64())
	}
	return f.putFixed(k, unit, vals...)
}

// putFixed records an ok case for k and one sample per value.
func (f *fakeRun) putFixed(k key.Key, unit string, vals ...float64) *fakeRun {
	name := k.Case().String()
	if !slices.ContainsFunc(f.run.Manifest.Cases, func(c *results.CaseState) bool { return c.Name == name }) {
		f.run.Manifest.Cases = append(f.run.Manifest.Cases, &results.CaseState{Name: name, State: results.CaseOK})
	}
	for _, v := range vals {
		f.run.Results = append(f.run.Results, &benchfmt.Result{Name: benchfmt.Name(k.String()), Iters: 1, Values: []benchfmt.Value{{Value: v, Unit: unit}}})
	}
	return f
}

// The scenario builders: each sets up one claim's evidence with the figures a case varies.

func helloRun(goMs, rustMs float64, n int) *fakeRun {
	return newFakeRun().
		put(helloKey(suite.GoStd), units.Exec, goMs*1e6, n).
		put(helloKey(suite.RustStd), units.Exec, rustMs*1e6, n)
}

// wasmRun is the wasm peers: the hellos' start-ups and binarytrees' and spectralnorm's
// times per run, in ms.
func wasmRun(goStartMs, rustStartMs, goTreesMs, rustTreesMs float64) *fakeRun {
	f := newFakeRun()
	for _, w := range []struct {
		w          *suite.Workload
		unit       string
		goV, rustV float64
	}{{suite.WasmHello, units.Exec, goStartMs, rustStartMs}, {suite.WasmBinarytrees, units.PerOp, goTreesMs, rustTreesMs}, {suite.WasmSpectralnorm, units.PerOp, 60, 55}} {
		for _, lang := range []string{"go", "rust"} {
			k := key.Key{Bench: w.w.Title, Impl: lang + "-std", Build: "wasm"}
			f.put(k, w.unit, map[string]float64{"go": w.goV, "rust": w.rustV}[lang]*1e6, 8)
		}
	}
	return f
}

func serverlessRun(rustWarmMs, floorMs float64) *fakeRun {
	return newFakeRun().
		put(echoKey(suite.GoStd).Startup(true), units.First200, 30e6, 6).
		put(echoKey(suite.RustAxum).Startup(true), units.First200, 5e6, 6).
		put(echoKey(suite.RustAxum).Startup(false), units.First200, rustWarmMs*1e6, 6).
		put(helloKey(suite.CStd), units.Exec, floorMs*1e6, 20)
}

func memoryRun(goMB, rustMB float64) *fakeRun {
	return newFakeRun().
		put(echoKey(suite.GoStd).Startup(false), units.IdleRSS, goMB*1e6, 6).
		put(echoKey(suite.RustAxum).Startup(false), units.IdleRSS, rustMB*1e6, 6)
}

// cpuRun: C's kernel at 100 ms, Go's and Rust's at the given times, in the ordinary build and,
// when native is set, in the native build at the times it gives.
func cpuRun(goMs, rustMs float64, native []float64) *fakeRun {
	f := newFakeRun()
	p := peer.Params{Size: 1000, Threads: 1}
	add := func(build string, g, r float64) {
		for impl, ms := range map[string]float64{suite.CStd: 100, suite.GoStd: g, suite.RustStd: r} {
			k := suite.Nbody.Key(impl, p)
			k.Build = build
			f.put(k, units.PerOp, ms*1e6, 10)
		}
	}
	add("", goMs, rustMs)
	if native != nil {
		add("native", native[0], native[1])
	}
	return f
}

func gcRun(pauseNs float64) *fakeRun {
	return newFakeRun().putFixed(echoKey(suite.GoStd).AtLevel(key.Max), units.GCPauseMax, pauseNs)
}

// echoMax: maximum throughput (req/s) per echo implementation.
func echoMax(f *fakeRun, rps map[string]float64) *fakeRun {
	for impl, v := range rps {
		f.put(echoKey(impl).AtLevel(key.Max), units.Throughput, v, 8)
	}
	return f
}

// economicsRun: per implementation, CPU per request (µs) and peak RSS (MB) at the low and the
// high rate: {lowCPU, lowRSS, highCPU, highRSS}.
func economicsRun(rps map[string]float64, costs map[string][4]float64) *fakeRun {
	f := echoMax(newFakeRun(), rps)
	for impl, c := range costs {
		f.put(echoKey(impl).AtLevel(key.Low), units.CPUPerReq, c[0]*1e3, 6).
			put(echoKey(impl).AtLevel(key.Low), units.PeakRSS, c[1]*1e6, 6).
			put(echoKey(impl).AtLevel(key.High), units.CPUPerReq, c[2]*1e3, 6).
			put(echoKey(impl).AtLevel(key.High), units.PeakRSS, c[3]*1e6, 6)
	}
	return f
}

func latencyRun(goUs, rustUs, floorUs float64) *fakeRun {
	f := newFakeRun()
	for impl, v := range map[string]float64{suite.GoStd: goUs, suite.RustAxum: rustUs} {
		f.put(echoKey(impl).AtLevel(key.Medium), units.LatP999, v*1e3, 6).
			put(echoKey(impl).AtLevel(key.Medium), units.LagP999, floorUs*1e3, 6)
	}
	return f
}

func footprintRun(bytesPerTask float64, million string) *fakeRun {
	f := newFakeRun().put(suite.Footprint.Key(suite.GoGoroutine, peer.Params{Size: 100_000, Threads: 2}), units.RSSPerTask, bytesPerTask, 6)
	m := suite.Footprint.Key(suite.GoGoroutine, peer.Params{Size: million_, Threads: 2})
	switch million {
	case results.CaseOK:
		f.put(m, units.RSSPerTask, bytesPerTask, 1)
	case results.CaseFailed:
		f.run.Manifest.Cases = append(f.run.Manifest.Cases, &results.CaseState{Name: m.Case().String(), State: results.CaseFailed, Reason: "hung"})
	}
	return f
}

const million_ = million

// fanoutRun: ns per message per implementation at two shapes where the workers are few.
func fanoutRun(shapes ...map[string]float64) *fakeRun {
	f := newFakeRun()
	for i, ns := range shapes {
		p := peer.Params{Size: 200_000, Workers: 4, Capacity: 64, Threads: int64(1 + i)}
		for impl, v := range ns {
			f.put(suite.Fanout.Key(impl, p), units.PerOp, v, 6)
		}
	}
	return f
}

// jsonRun: decode time (or peak RSS per input byte, by unit) per implementation at 1 MiB and
// at 16 MiB, one shape.
func jsonRun(unit string, small, big map[string]float64) *fakeRun {
	f := newFakeRun()
	for mib, m := range map[int64]map[string]float64{1: small, 16: big} {
		for impl, v := range m {
			f.put(jsonKey(impl, "social", mib), unit, v, 6)
		}
	}
	return f
}

func matmulRun(ms map[string]float64) *fakeRun {
	f := newFakeRun()
	for impl, v := range ms {
		f.put(matmulKey(impl, 1024, 1), units.PerOp, v*1e6, 10)
	}
	return f
}

func ffiRun(cgo, rustFFI float64) *fakeRun {
	return newFakeRun().
		put(ffiKey(suite.GoCgo), units.PerOp, cgo, 6).
		put(ffiKey(suite.GoPlain), units.PerOp, 1, 6).
		put(ffiKey(suite.RustFFI), units.PerOp, rustFFI, 6).
		put(ffiKey(suite.RustPlain), units.PerOp, 1, 6)
}

func resourcesRun(goMB, rustMB, cMB float64) *fakeRun {
	return newFakeRun().
		put(helloKey(suite.GoStd), units.PeakRSS, goMB*1e6, 10).
		put(helloKey(suite.RustStd), units.PeakRSS, rustMB*1e6, 10).
		put(helloKey(suite.CStd), units.PeakRSS, cMB*1e6, 10)
}

// predictabilityRun: hiccup p99 (µs) in the stalls windows and p99.9/p50 spread at the medium
// rate, per implementation; maximum throughput picks each language's best.
func predictabilityRun(rps map[string]float64, stallsUs, spread map[string]float64) *fakeRun {
	f := echoMax(newFakeRun(), rps)
	for impl, v := range stallsUs {
		f.put(echoKey(impl).AtLevel(key.Stalls), units.HiccupP99, v*1e3, 6)
	}
	for impl, v := range spread {
		f.put(echoKey(impl).AtLevel(key.Medium), units.LatP999, v*100e3, 6).
			put(echoKey(impl).AtLevel(key.Medium), units.LatP50, 100e3, 6)
	}
	return f
}

func buildRun(clean, rebuild float64) *fakeRun {
	f := newFakeRun()
	f.run.Manifest.Build = &results.Build{Languages: []results.BuildLang{{Lang: "go", CleanNs: 1e9, RebuildNs: 1e9}, {Lang: "rust", CleanNs: int64(clean * 1e9), RebuildNs: int64(rebuild * 1e9)}}}
	return f
}

type outcome struct {
	claim, want, why string
	run              func() *fakeRun
}

// outcomes drive every claim's rule to every verdict it names, at the edges of its ranges.
var outcomes = []outcome{
	{"startup-service", Holds, "Go 2.2x Rust, just above 2", func() *fakeRun { return helloRun(2.2, 1, 20) }},
	{"startup-service", Contradicted, "Go 1.9x Rust, just below 2", func() *fakeRun { return helloRun(1.9, 1, 20) }},
	{"startup-service", Inconclusive, "3 samples give no interval", func() *fakeRun { return helloRun(25, 2, 3) }},

	{"startup-service", Depends, "net/http 3x axum to first 200; fasthttp 1.25x axum", func() *fakeRun {
		f := newFakeRun()
		for impl, ms := range map[string]float64{suite.GoStd: 12, suite.GoFastHTTP: 5, suite.RustAxum: 4, suite.RustHyper: 4.5} {
			f.put(echoKey(impl).Startup(false), units.First200, ms*1e6, 6)
		}
		return f
	}},

	{"startup-serverless", Holds, "Rust warm 0.5 ms, floor 0.2 ms, Go cold 6x Rust's", func() *fakeRun { return serverlessRun(0.5, 0.2) }},
	{"startup-serverless", Contradicted, "Rust warm 1.2 ms above 1 ms, floor 0.2 ms", func() *fakeRun { return serverlessRun(1.2, 0.2) }},
	{"startup-serverless", Inconclusive, "floor 0.8 ms: 1 ms within 2x of it", func() *fakeRun { return serverlessRun(0.5, 0.8) }},

	{"memory-service", Holds, "Go 19 MB, Rust 4.8 MB: inside both, near the tops", func() *fakeRun { return memoryRun(19, 4.8) }},
	{"memory-service", Contradicted, "Go 21 MB, just above 20", func() *fakeRun { return memoryRun(21, 3) }},
	{"memory-service", Inconclusive, "Go's interval straddles 10 MB", func() *fakeRun { return memoryRun(10, 3) }},

	{"memory-serverless", Holds, "Go echo 21 MB, a lower bound at or above 20; Rust 4.8 MB", func() *fakeRun { return memoryRun(21, 4.8) }},
	{"memory-serverless", Contradicted, "Rust 5.2 MB, just above 5", func() *fakeRun { return memoryRun(25, 5.2) }},
	{"memory-serverless", Inconclusive, "Go echo 19 MB: a lower bound below 20 says nothing", func() *fakeRun { return memoryRun(19, 3) }},

	{"memory-service", Depends, "net/http 15 MB holds; fasthttp, the leanest, 8 MB", func() *fakeRun {
		return memoryRun(15, 3.5).put(echoKey(suite.GoFastHTTP).Startup(false), units.IdleRSS, 8e6, 6)
	}},
	{"memory-serverless", Depends, "axum 6 MB contradicts; the leanest pair (fasthttp 22 MB, hyper 4 MB) holds", func() *fakeRun {
		return memoryRun(25, 6).
			put(echoKey(suite.GoFastHTTP).Startup(false), units.IdleRSS, 22e6, 6).
			put(echoKey(suite.RustHyper).Startup(false), units.IdleRSS, 4e6, 6)
	}},

	{"cpu-vs-c", Holds, "Go at 67% of C, Rust at 92%", func() *fakeRun { return cpuRun(150, 109, nil) }},
	{"cpu-vs-c", Holds, "Rust faster than C counts for 'at least 90%'", func() *fakeRun { return cpuRun(160, 80, nil) }},
	{"cpu-vs-c", Contradicted, "Go at 74% of C", func() *fakeRun { return cpuRun(135, 100, nil) }},
	{"cpu-vs-c", Contradicted, "Rust at 87% of C", func() *fakeRun { return cpuRun(160, 115, nil) }},
	{"cpu-vs-c", Inconclusive, "Go's interval straddles 70%", func() *fakeRun {
		p := peer.Params{Size: 1000, Threads: 1}
		return newFakeRun().
			putFixed(suite.Nbody.Key(suite.CStd, p), units.PerOp, 100, 100, 100, 100, 100, 100, 100, 100).
			putFixed(suite.Nbody.Key(suite.GoStd, p), units.PerOp, 138, 140, 142, 144, 146, 141, 143, 139).
			putFixed(suite.Nbody.Key(suite.RustStd, p), units.PerOp, 100, 100, 100, 100, 100, 100, 100, 100)
	}},
	{"cpu-vs-c", Depends, "ordinary build holds, native build has Go at C's speed", func() *fakeRun { return cpuRun(160, 105, []float64{100, 100}) }},

	{"gc-pauses", Holds, "worst pause in the (786 µs, 918 µs] bucket", func() *fakeRun { return gcRun(917504) }},
	{"gc-pauses", Contradicted, "worst pause in the (1.05 ms, 1.31 ms] bucket", func() *fakeRun { return gcRun(1310720) }},
	{"gc-pauses", Inconclusive, "worst pause in the (918 µs, 1.05 ms] bucket", func() *fakeRun { return gcRun(1048576) }},

	{"io-model", Holds, "Rust ahead on both pairings", func() *fakeRun {
		return echoMax(newFakeRun(), map[string]float64{suite.GoStd: 20e3, suite.GoFastHTTP: 25e3, suite.RustAxum: 30e3, suite.RustHyper: 28e3})
	}},
	{"io-model", Contradicted, "Go ahead on both pairings", func() *fakeRun {
		return echoMax(newFakeRun(), map[string]float64{suite.GoStd: 40e3, suite.GoFastHTTP: 45e3, suite.RustAxum: 30e3, suite.RustHyper: 28e3})
	}},
	{"io-model", Inconclusive, "level", func() *fakeRun {
		return echoMax(newFakeRun(), map[string]float64{suite.GoStd: 30e3, suite.RustAxum: 30e3})
	}},
	{"io-model", Depends, "axum beats net/http, fasthttp beats every Rust server", func() *fakeRun {
		return echoMax(newFakeRun(), map[string]float64{suite.GoStd: 20e3, suite.GoFastHTTP: 50e3, suite.RustAxum: 30e3, suite.RustHyper: 28e3})
	}},

	{"api-load-economics", Holds, "Go at 1.05x Rust at low traffic, Rust leaner at peak", func() *fakeRun {
		return economicsRun(nil, map[string][4]float64{suite.GoStd: {52.5, 5.25, 40, 12}, suite.RustAxum: {50, 5, 20, 4}})
	}},
	{"api-load-economics", Contradicted, "Go at 1.2x Rust's CPU at low traffic", func() *fakeRun {
		return economicsRun(nil, map[string][4]float64{suite.GoStd: {60, 5, 40, 12}, suite.RustAxum: {50, 5, 20, 4}})
	}},
	{"api-load-economics", Inconclusive, "Go's low-traffic CPU ratio straddles 1.1", func() *fakeRun {
		f := economicsRun(nil, map[string][4]float64{suite.GoStd: {0, 5, 40, 12}, suite.RustAxum: {0, 5, 20, 4}})
		f.run.Results = slices.DeleteFunc(f.run.Results, func(r *benchfmt.Result) bool { return r.Values[0].Unit == units.CPUPerReq && r.Values[0].Value == 0 })
		return f.putFixed(echoKey(suite.GoStd).AtLevel(key.Low), units.CPUPerReq, 54, 55, 56, 57, 58, 53).
			putFixed(echoKey(suite.RustAxum).AtLevel(key.Low), units.CPUPerReq, 50, 50, 50, 50, 50, 50)
	}},
	{"api-load-economics", Depends, "idiomatic holds; the fastest Go server is leaner at peak than the fastest Rust one", func() *fakeRun {
		return economicsRun(map[string]float64{suite.GoStd: 20e3, suite.GoFastHTTP: 50e3, suite.RustAxum: 30e3, suite.RustHyper: 25e3},
			map[string][4]float64{suite.GoStd: {50, 5, 40, 12}, suite.GoFastHTTP: {40, 4, 10, 4}, suite.RustAxum: {50, 5, 20, 5}, suite.RustHyper: {50, 5, 20, 5}})
	}},

	{"realtime-latency", Holds, "Go 900 µs, Rust 90 µs, floor 10 µs", func() *fakeRun { return latencyRun(900, 90, 10) }},
	{"realtime-latency", Contradicted, "Go 1.2 ms", func() *fakeRun { return latencyRun(1200, 90, 10) }},
	{"realtime-latency", Inconclusive, "floor 150 µs: 100 µs cannot be judged", func() *fakeRun { return latencyRun(600, 80, 150) }},

	{"realtime-latency", Depends, "net/http 1.2 ms misses a millisecond target; fasthttp 600 µs meets it", func() *fakeRun {
		return latencyRun(1200, 80, 10).put(echoKey(suite.GoFastHTTP).AtLevel(key.Medium), units.LatP999, 600e3, 6)
	}},

	{"goroutine-footprint", Holds, "3.9 KiB per goroutine, a million ran", func() *fakeRun { return footprintRun(3.9*1024, results.CaseOK) }},
	{"goroutine-footprint", Contradicted, "4.2 KiB per goroutine", func() *fakeRun { return footprintRun(4.2*1024, results.CaseOK) }},
	{"goroutine-footprint", Contradicted, "the million failed", func() *fakeRun { return footprintRun(2048, results.CaseFailed) }},
	{"goroutine-footprint", Inconclusive, "no million run", func() *fakeRun { return footprintRun(2048, "") }},

	{"channel-throughput", Holds, "every Rust channel faster at both shapes", func() *fakeRun {
		s := map[string]float64{suite.GoChan: 100, suite.RustStd: 80, suite.RustCrossbeam: 50, suite.RustFlume: 60}
		return fanoutRun(s, s)
	}},
	{"channel-throughput", Contradicted, "Go faster at both shapes", func() *fakeRun {
		s := map[string]float64{suite.GoChan: 100, suite.RustStd: 180, suite.RustCrossbeam: 150, suite.RustFlume: 160}
		return fanoutRun(s, s)
	}},
	{"channel-throughput", Inconclusive, "one shape each way", func() *fakeRun {
		return fanoutRun(map[string]float64{suite.GoChan: 100, suite.RustStd: 50, suite.RustCrossbeam: 50},
			map[string]float64{suite.GoChan: 100, suite.RustStd: 150, suite.RustCrossbeam: 150})
	}},
	{"channel-throughput", Depends, "std mpsc slower than Go's chan, crossbeam faster", func() *fakeRun {
		s := map[string]float64{suite.GoChan: 100, suite.RustStd: 180, suite.RustCrossbeam: 50}
		return fanoutRun(s, s)
	}},

	{"serialization", Holds, "Rust 5x faster at 16 MiB, 2x at 1 MiB, on every pairing", func() *fakeRun {
		return jsonRun(units.DecodeNs,
			map[string]float64{suite.GoStd: 40, suite.GoSonic: 20, suite.RustSerde: 20, suite.RustSerdeBorrow: 10},
			map[string]float64{suite.GoStd: 100, suite.GoSonic: 50, suite.RustSerde: 20, suite.RustSerdeBorrow: 10})
	}},
	{"serialization", Contradicted, "encoding/json as fast as sonic, Go faster than Rust", func() *fakeRun {
		return jsonRun(units.DecodeNs,
			map[string]float64{suite.GoStd: 10, suite.GoSonic: 10, suite.RustSerde: 20, suite.RustSerdeBorrow: 20},
			map[string]float64{suite.GoStd: 10, suite.GoSonic: 20, suite.RustSerde: 40, suite.RustSerdeBorrow: 40})
	}},
	{"serialization", Inconclusive, "Rust faster but its advantage does not grow", func() *fakeRun {
		m := map[string]float64{suite.GoStd: 100, suite.GoSonic: 50, suite.RustSerde: 20, suite.RustSerdeBorrow: 10}
		return jsonRun(units.DecodeNs, m, m)
	}},
	{"serialization", Depends, "serde beats encoding/json, sonic beats every Rust library", func() *fakeRun {
		return jsonRun(units.DecodeNs,
			map[string]float64{suite.GoStd: 40, suite.GoSonic: 5, suite.RustSerde: 20, suite.RustSerdeBorrow: 15},
			map[string]float64{suite.GoStd: 200, suite.GoSonic: 5, suite.RustSerde: 20, suite.RustSerdeBorrow: 15})
	}},

	{"data-pipeline-memory", Holds, "Rust leaner on every pairing", func() *fakeRun {
		m := map[string]float64{suite.GoStd: 8, suite.GoSonic: 4, suite.RustSerde: 3, suite.RustSerdeBorrow: 2}
		return jsonRun(units.RSSPerInput, m, m)
	}},
	{"data-pipeline-memory", Contradicted, "Go leaner on every pairing", func() *fakeRun {
		m := map[string]float64{suite.GoStd: 2, suite.GoSonic: 1, suite.RustSerde: 3, suite.RustSerdeBorrow: 2}
		return jsonRun(units.RSSPerInput, m, m)
	}},
	{"data-pipeline-memory", Inconclusive, "level", func() *fakeRun {
		m := map[string]float64{suite.GoStd: 3, suite.RustSerde: 3}
		return jsonRun(units.RSSPerInput, m, m)
	}},
	{"data-pipeline-memory", Depends, "serde leaner than encoding/json, sonic leaner than any Rust library", func() *fakeRun {
		m := map[string]float64{suite.GoStd: 8, suite.GoSonic: 1, suite.RustSerde: 3, suite.RustSerdeBorrow: 2}
		return jsonRun(units.RSSPerInput, m, m)
	}},

	{"numeric", Holds, "faer 3x gonum, Rust's naive loop faster", func() *fakeRun {
		return matmulRun(map[string]float64{suite.GoGonum: 300, suite.RustFaer: 100, suite.GoNaive: 900, suite.RustNaive: 600})
	}},
	{"numeric", Contradicted, "gonum 3x faer", func() *fakeRun {
		return matmulRun(map[string]float64{suite.GoGonum: 100, suite.RustFaer: 300})
	}},
	{"numeric", Inconclusive, "level", func() *fakeRun {
		return matmulRun(map[string]float64{suite.GoGonum: 100, suite.RustFaer: 100})
	}},
	{"numeric", Depends, "faer beats gonum, Go's naive loop beats Rust's", func() *fakeRun {
		return matmulRun(map[string]float64{suite.GoGonum: 300, suite.RustFaer: 100, suite.GoNaive: 600, suite.RustNaive: 900})
	}},

	{"compile-speed", Inconclusive, "15x and 5x, one build each", func() *fakeRun { return buildRun(15, 5) }},

	{"binary-size", Holds, "static Go, 112 KB Rust wasm, 2.9 MB Go wasm", binarySizeRun},
	{"binary-size", Contradicted, "400 KB Rust wasm", func() *fakeRun {
		f := binarySizeRun()
		f.run.Manifest.Build.Binaries[6].StrippedBytes = 400_000
		return f
	}},
	{"binary-size", Inconclusive, "a dynamic Go binary in a record without linkage details", func() *fakeRun {
		f := binarySizeRun()
		f.run.Manifest.Build.Binaries[1].Static = false
		return f
	}},

	{"ffi-cost", Holds, "cgo 30x, Rust FFI 1.05x", func() *fakeRun { return ffiRun(30, 1.05) }},
	{"ffi-cost", Contradicted, "Rust FFI 1.2x, above the band", func() *fakeRun { return ffiRun(30, 1.2) }},
	{"ffi-cost", Inconclusive, "Rust FFI straddles 1.1", func() *fakeRun { return ffiRun(30, 1.1) }},

	{"cgo-overhead-large", Holds, "cgo 5.5x", func() *fakeRun { return ffiRun(5.5, 1) }},
	{"cgo-overhead-large", Contradicted, "cgo 1.9x", func() *fakeRun { return ffiRun(1.9, 1) }},
	{"cgo-overhead-large", Inconclusive, "cgo 3x: between small and large", func() *fakeRun { return ffiRun(3, 1) }},

	{"go-resources", Holds, "Go's hello the largest", func() *fakeRun { return resourcesRun(2.2, 1.9, 1.4) }},
	{"go-resources", Contradicted, "Go's hello the smallest", func() *fakeRun { return resourcesRun(1.2, 1.9, 1.4) }},
	{"go-resources", Inconclusive, "level", func() *fakeRun { return resourcesRun(2, 2, 2) }},

	{"interop-efficiency", Holds, "Rust FFI 1.1 ns, cgo 30 ns", func() *fakeRun { return ffiRun(30, 1.1) }},
	{"interop-efficiency", Contradicted, "Rust FFI slower than cgo", func() *fakeRun { return ffiRun(1.2, 5) }},
	{"interop-efficiency", Inconclusive, "level", func() *fakeRun { return ffiRun(1, 1) }},

	{"fasthttp-fast", Holds, "fasthttp 40k req/s, net/http 20k", func() *fakeRun {
		return echoMax(newFakeRun(), map[string]float64{suite.GoStd: 20e3, suite.GoFastHTTP: 40e3})
	}},
	{"fasthttp-fast", Contradicted, "fasthttp slower", func() *fakeRun {
		return echoMax(newFakeRun(), map[string]float64{suite.GoStd: 40e3, suite.GoFastHTTP: 20e3})
	}},
	{"fasthttp-fast", Inconclusive, "level", func() *fakeRun {
		return echoMax(newFakeRun(), map[string]float64{suite.GoStd: 30e3, suite.GoFastHTTP: 30e3})
	}},

	{"wasm-go-vs-rust", Holds, "Go's .wasm starts in 700 ms, Rust's in 40; binarytrees 700 ms against 120", func() *fakeRun { return wasmRun(700, 40, 700, 120) }},
	{"wasm-go-vs-rust", Contradicted, "Go's .wasm starts faster", func() *fakeRun { return wasmRun(30, 40, 700, 120) }},
	{"wasm-go-vs-rust", Contradicted, "Go's binarytrees faster", func() *fakeRun { return wasmRun(700, 40, 100, 120) }},
	{"wasm-go-vs-rust", Inconclusive, "level", func() *fakeRun { return wasmRun(100, 100, 100, 100) }},

	{"predictability", Holds, "Rust stalls less and its tail is narrower, on both pairings", func() *fakeRun {
		return predictabilityRun(nil, map[string]float64{suite.GoStd: 900, suite.RustAxum: 100}, map[string]float64{suite.GoStd: 50, suite.RustAxum: 10})
	}},
	{"predictability", Contradicted, "Go stalls less", func() *fakeRun {
		return predictabilityRun(nil, map[string]float64{suite.GoStd: 100, suite.RustAxum: 900}, map[string]float64{suite.GoStd: 10, suite.RustAxum: 50})
	}},
	{"predictability", Inconclusive, "level", func() *fakeRun {
		return predictabilityRun(nil, map[string]float64{suite.GoStd: 100, suite.RustAxum: 100}, map[string]float64{suite.GoStd: 10, suite.RustAxum: 10})
	}},
	{"predictability", Depends, "axum steadier than net/http; fasthttp steadier than hyper", func() *fakeRun {
		return predictabilityRun(map[string]float64{suite.GoStd: 20e3, suite.GoFastHTTP: 50e3, suite.RustAxum: 25e3, suite.RustHyper: 30e3},
			map[string]float64{suite.GoStd: 900, suite.RustAxum: 100, suite.GoFastHTTP: 100, suite.RustHyper: 900},
			map[string]float64{suite.GoStd: 50, suite.RustAxum: 10, suite.GoFastHTTP: 10, suite.RustHyper: 50})
	}},
}

// TestEveryOutcomeIsReachable drives every claim to every verdict it names. Every claim names
// holds, contradicted, inconclusive and not measured, and depends when it is judged on more
// than one measurable pairing, except the outcomes it declares Unreachable with a reason; an
// outcome with no case here fails.
func TestEveryOutcomeIsReachable(t *testing.T) {
	reached := map[string]map[string]bool{}
	for _, o := range outcomes {
		v := o.run().verdict(t, o.claim)
		if v.Verdict != o.want {
			t.Errorf("%s, %s: %s (%s), want %s", o.claim, o.why, v.Verdict, v.Basis, o.want)
		}
		if reached[o.claim] == nil {
			reached[o.claim] = map[string]bool{}
		}
		reached[o.claim][v.Verdict] = true
	}
	tab, err := summary.Of(newFakeRun().run)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range Evaluate(tab) {
		if v.Verdict != NotMeasured {
			t.Errorf("%s on an empty run: %s", v.Claim, v.Verdict)
		}
		if reached[v.Claim] == nil {
			reached[v.Claim] = map[string]bool{}
		}
		reached[v.Claim][NotMeasured] = true
	}
	for _, c := range Registry {
		for _, want := range c.Outcomes() {
			if !reached[c.ID][want] {
				t.Errorf("%s names %q but no synthetic run reaches it", c.ID, want)
			}
		}
		for out, why := range c.Unreachable {
			if why == "" || out == "" {
				t.Errorf("%s: an unreachable outcome needs its reason", c.ID)
			}
		}
	}
}

// cpu-vs-c shows how far C itself moves between its builds, informatively.
func TestCPUvsCComparesCBuilds(t *testing.T) {
	f := cpuRun(160, 105, []float64{100, 100})
	v := f.verdict(t, "cpu-vs-c")
	last := v.Parts[len(v.Parts)-1]
	if !last.Informative || last.Name != "C -O3 -march=native against C -O2" || !strings.Contains(last.Basis, "nbody N=1000 1") {
		t.Errorf("C builds: %+v", last)
	}
	if v.Verdict != Depends || !strings.Contains(v.Headline(), "holds for ordinary build (C -O2), contradicted for native build (C -O3 -march=native)") {
		t.Errorf("builds disagree: %s", v.Headline())
	}
}
