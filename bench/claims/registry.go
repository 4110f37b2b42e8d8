// Package claims is the registry of the report's claims (shared CLAIMS.md, one row each) and
// the rules that turn a run's numbers into a verdict on each. The report under test is
// shared/report/000_afe058ecdfeebb8c.txt; line numbers point into it.
package claims

import (
	"encoding/json"
	"math"
	"slices"

	"github.com/gorustbench/gorustbench/bench/suite"
	"github.com/gorustbench/gorustbench/bench/units"
)

// Verdicts, the whole vocabulary.
const (
	Holds        = "holds"
	Contradicted = "contradicted"
	Inconclusive = "inconclusive"
	NotMeasured  = "not measured"
)

// Claim is one measurable statement of the report.
type Claim struct {
	ID         string `json:"id"`
	Lines      string `json:"lines"`
	Original   string `json:"original"`
	Statement  string `json:"statement"`
	MeasuredBy string `json:"measured_by"`
	Rule       string `json:"rule"` // how the numbers become a verdict
	// Interpretation is the reading of the report's words the rule takes, where they admit
	// more than one: what "about", "several", "medium service" are taken to mean.
	Interpretation string `json:"interpretation,omitempty"`
	// Added marks a claim the report makes that shared/CLAIMS.md does not list; review found it.
	Added bool `json:"added,omitempty"`
	// Thresholds are the figures the claim states, once: the rule judges against them, the
	// charts shade them and RuleText states them.
	Thresholds
	// Pairings are the comparisons a fair reader accepts, for a claim that compares
	// implementations (or builds); the claim is judged on each (acrossPairings).
	Pairings []Pairing `json:"pairings,omitempty"`
	// Unreachable are the verdicts the rule cannot reach on today's evidence, each with why;
	// RuleText states them and the outcome tests exempt them.
	Unreachable map[string]string `json:"unreachable,omitempty"`
	// evaluate judges the claim on a run; nil until a workload can answer it.
	evaluate func(*Evidence, *Claim) Verdict
	pending  string // why it is not measured yet, when evaluate is nil
}

// Range is a figure the report claims for one part of a claim: [Lo, Hi) in Unit, or [Lo, Hi]
// when Closed. Hi is +Inf for "at least Lo". An interval inside it holds; one inside a
// Contradicts span contradicts (no spans: one entirely outside the range contradicts).
type Range struct {
	Part   string  `json:"part"` // which side: go, rust, or a ratio's name
	Lo     float64 `json:"lo"`
	Hi     float64 `json:"hi"`
	Closed bool    `json:"closed,omitempty"`
	Unit   string  `json:"unit"`
	Label  string  `json:"label"` // as a chart's legend says it
	// Contradicts are the values that contradict the claim, where that is not simply
	// "outside the range" (a band that is not closed on the other side).
	Contradicts []Span `json:"contradicts,omitempty"`
	// Bound is what the measurement is of the claimed quantity: Value, or LowerBound.
	Bound string `json:"bound,omitempty"`
	// Unshaded marks a range that is judged but drawn by no chart (a cost ratio, an
	// ordering): the charts test skips it.
	Unshaded bool `json:"unshaded,omitempty"`
}

// Range returns the claim's range for part; it panics on a part the registry does not state,
// which is a programming error caught by the claims tests.
func (c *Claim) Range(part string) Range {
	for _, r := range c.Ranges {
		if r.Part == part {
			return r
		}
	}
	panic("claims: " + c.ID + " states no range for " + part)
}

var inf = math.Inf(1)

// Unmeasured is a claim of the report that no benchmark can judge.
type Unmeasured struct {
	Topic, Lines, Original, Statement, Reason string
}

// Registry is every row of CLAIMS.md, in its order.
var Registry = []*Claim{
	{
		ID: "startup-service", Lines: "1997-1999",
		Original:       "启动时间: Golang 数十毫秒级(中型服务); Rust 毫秒级(同等复杂度)",
		Statement:      "a Go service starts in tens of ms; a Rust one of the same complexity in ms",
		MeasuredBy:     "exec to exit of a hello program (the language's own start-up cost); exec to READY and to the first 200 response of the HTTP echo services",
		Rule:           "decided on Go's exec-to-first-200 divided by Rust's on the matched echo services (paired by round); the absolute figures are lower bounds of a 'medium service', cited, and deciding only when they contradict from above",
		Interpretation: "'tens of ms' for Go against 'ms' for Rust says Go starts several times slower; we take at least 2x as the weakest reading. The echo service is smaller than the report's 'medium service', so its start-up is a lower bound: below or inside the claimed range it decides nothing.",
		Thresholds: Thresholds{Ranges: []Range{
			{Part: "go/rust", Lo: 2, Hi: inf, Unit: "start-up ratio", Label: "report: Go starts several times slower than Rust"},
			{Part: "go", Lo: 10e6, Hi: 100e6, Unit: units.First200, Label: "report: Go in tens of ms", Bound: LowerBound},
			{Part: "rust", Lo: 0, Hi: 10e6, Unit: units.First200, Label: "report: Rust in ms", Bound: LowerBound},
		}},
		Pairings: []Pairing{echoIdiomatic, startBest},
		evaluate: evalStartupService,
	},
	{
		ID: "startup-serverless", Lines: "1654, 1672",
		Original:       "启动速度接受(10-100ms冷启动); 极速启动(亚毫秒级)",
		Statement:      "Go cold start 10-100 ms; Rust sub-millisecond",
		MeasuredBy:     "the start-up measurements above with the page cache dropped (cold) and warm",
		Rule:           "Go part: the Go echo service's cold exec to first 200 is a lower bound of a function's cold start, so it can only contradict, informatively; Rust part: its exec to first 200 against sub-millisecond, judged against this machine's floor (the C hello's exec to exit) measured in the same page-cache state (warm, unless a cold floor was measured); line 2021's ordering: Go's cold start / Rust's, paired by round. Without cold starts (the page cache could not be dropped) the cold parts are not measured, never judged on warm starts",
		Interpretation: "'Sub-millisecond' (line 1672) is said of isolates and WebAssembly on edge platforms (Cloudflare Workers, Fastly Compute, lines 1668-1670); a native process cannot start that fast on most machines, so the threshold is judged only above the floor. 'Cold' here drops the page cache, which mostly measures reading the binary from disk. Go's '10-100 ms' is a range a real function's start falls in; the echo service is the smallest function, so its start bounds that from below. Rust's 'sub-millisecond' is read as what a Rust function can reach, so the smallest one decides it.",
		Thresholds: Thresholds{FloorMargin: floorMargin, Ranges: []Range{
			{Part: "go/rust", Lo: 1, Hi: inf, Unit: "cold start-up ratio", Label: "report: Rust's cold start beats Go's (line 2021)"},
			{Part: "go", Lo: 10e6, Hi: 100e6, Unit: units.First200, Label: "report: Go 10-100 ms cold start", Bound: LowerBound},
			{Part: "rust", Lo: 0, Hi: 1e6, Unit: units.First200, Label: "report: Rust sub-millisecond"},
		}},
		evaluate: evalStartupServerless,
	},
	{
		ID: "memory-service", Lines: "2000-2002",
		Original:       "内存占用: Golang 基础服务约10-20MB; Rust 类似服务约2-5MB",
		Statement:      "a basic Go service uses 10-20 MB, a similar Rust one 2-5 MB",
		MeasuredBy:     "idle RSS after READY, and peak RSS (VmHWM) under load, of the echo services",
		Rule:           "Go's and Rust's echo services each against its range, judged idle (RSS after READY) and under load (peak RSS at the high rate); inconclusive when the two disagree",
		Interpretation: "MB read as 10^6 bytes; 'basic service' is the echo service. The report does not say idle or loaded, so both are judged and must agree.",
		Thresholds: Thresholds{Ranges: []Range{
			{Part: "go", Lo: 10e6, Hi: 20e6, Closed: true, Unit: units.IdleRSS, Label: "report: Go basic service 10-20 MB"},
			{Part: "rust", Lo: 2e6, Hi: 5e6, Closed: true, Unit: units.IdleRSS, Label: "report: Rust similar service 2-5 MB"},
		}},
		Pairings: []Pairing{echoIdiomatic, memLeanest},
		evaluate: evalMemoryService,
	},
	{
		ID: "memory-serverless", Lines: "1655, 1673",
		Original:       "内存占用中等(20MB+); 极低内存占用(<5MB)",
		Statement:      "Go 20 MB+, Rust under 5 MB",
		MeasuredBy:     "the memory measurements above",
		Rule:           "judged idle (RSS after READY) and under load (peak RSS at the high rate) as memory-service is, inconclusive when the two disagree; the Go echo service's memory is a lower bound of a function's",
		Interpretation: "The same evidence as memory-service: an echo function, idle and at the high rate. '20MB+' says a Go function takes at least 20 MB; a bare echo server is the smallest function, so its RSS bounds a function's from below: at or above 20 MB holds, below says nothing (a real function may well use more). This also keeps memory-service's 10-20 MB and this claim's 20 MB+ from contradicting each other: a 15 MB echo holds the first and leaves this part inconclusive. Rust's 'under 5 MB' is read as what a Rust function can reach, so the smallest one decides it.",
		Thresholds: Thresholds{Ranges: []Range{
			{Part: "go", Lo: 20e6, Hi: inf, Unit: units.IdleRSS, Label: "report: Go 20 MB+", Bound: LowerBound},
			{Part: "rust", Lo: 0, Hi: 5e6, Unit: units.IdleRSS, Label: "report: Rust under 5 MB"},
		}},
		Pairings: []Pairing{echoIdiomatic, memLeanest},
		evaluate: evalMemoryServerless,
	},
	{
		ID: "cpu-vs-c", Lines: "2003-2005",
		Original:       "CPU效率: Golang 接近C的50-70%; Rust 接近C的90-100%",
		Statement:      "on CPU-bound work Go reaches 50-70% of C's speed, Rust 90-100%",
		MeasuredBy:     "C time / language time per interleaved round on five CPU kernels written to the same published rules (n-body, spectral-norm, fannkuch-redux, mandelbrot, binary-trees) and the naive matrix multiply, one thread, in the ordinary and the native build",
		Rule:           "per build, each language's speed relative to C is the geometric mean across kernels of the median per-round ratio C time / language time, with a 95% percentile-bootstrap interval over rounds; each build is a pairing: the ordinary build (C -O2, cargo --release, go build) and the native build (C -O3 -march=native, Rust target-cpu=native, Go GOAMD64=v3), each language against C in the same build",
		Interpretation: "'C's speed' is not one number: it is judged against C as shipped (-O2) and against C at its best (-O3 -march=native), each language in the same build; when they disagree the verdict says which build says what. 'Reaches 50-70%' is read as the geometric mean over CPU-bound kernels, as the most cited cross-language comparison reports it. Go's 50-70% is a band (Go markedly slower than C): Go at C's speed contradicts it. Rust's 'close to 90-100% of C' (接近) is read as 'at least 90% of C': Rust faster than C does not count against it.",
		Thresholds: Thresholds{Ranges: []Range{
			{Part: "go", Lo: 0.5, Hi: 0.7, Closed: true, Unit: "speed relative to C", Label: "report: Go 50-70% of C"},
			{Part: "rust", Lo: 0.9, Hi: inf, Unit: "speed relative to C", Label: "report: Rust 90-100% of C (read as at least 90%)"},
		}},
		Pairings: []Pairing{cpuOrdinary, cpuNative},
		evaluate: evalCPUvsC,
	},
	{
		ID: "gc-pauses", Lines: "181, 2009-2011",
		Original:       "GC停顿（虽然已优化至亚毫秒级）; Golang 周期性停顿(微秒级); Rust 无GC停顿",
		Statement:      "Go GC stop-the-world pauses are sub-millisecond (microseconds); Rust has none",
		MeasuredBy:     "the Go runtime's pause histogram during allocation-heavy workloads and under HTTP load; the hiccup meter in every peer; tail latency",
		Rule:           "the worst Go pause of every run with a GC cycle (echo under load and batch workloads): runtime/metrics gives the upper bound of its histogram bucket, and the bucket's lower bound is read from the runtime's own bucket boundaries (four sub-buckets per power of two: at least 0.8x the upper); holds if the upper bound lies under the figure, contradicted only if the lower bound is at or above it and above the host's own stalls; no GC cycle at all is inconclusive",
		Interpretation: "'Sub-millisecond (microseconds)' is a bound on every stop-the-world pause, not a typical one.",
		Thresholds: Thresholds{Ranges: []Range{
			{Part: "go", Lo: 0, Hi: 1e6, Unit: units.GCPauseMax, Label: "report: sub-millisecond"},
		}},
		evaluate: evalGCPauses,
	},
	{
		ID: "io-model", Lines: "2006-2008",
		Original:       "I/O处理: goroutine模型高效简洁; async/await性能优",
		Statement:      "Rust async I/O outperforms the goroutine model",
		MeasuredBy:     "HTTP echo: maximum throughput per core, latency percentiles at fixed rates, CPU per request",
		Rule:           "on each pairing, Rust's maximum throughput per core against Go's (Mann-Whitney): significantly higher holds, significantly lower contradicts; windows where the load generator may have set the pace decide nothing",
		Interpretation: "'async/await performs better' is read as more requests per second per core at saturation.",
		Pairings:       []Pairing{echoIdiomatic, echoBest},
		evaluate:       evalIOModel,
	},
	{
		ID: "api-load-economics", Lines: "2024-2026",
		Original:       "高并发API服务: 流量低时Golang更经济; 流量高峰Rust更节省资源",
		Statement:      "at low traffic Go costs no more; at peak Rust saves resources",
		MeasuredBy:     "CPU-seconds and RSS per 1k requests at a low, a medium and a near-saturation fixed rate",
		Rule:           "on each pairing, server CPU per request (schedstat) and peak RSS as paired ratios by round: at the low rate Go / Rust ('Go costs no more'), near saturation Rust / Go ('Rust saves'); windows with the hiccup meter are left out, generator-limited windows decide nothing",
		Interpretation: "'More economical' at low traffic is read as 'costs no more': Go's CPU per request and memory within 10% of Rust's or below; 'saves resources' at peak as Rust's CPU per request and memory below Go's. Both CPU time and memory are judged.",
		Thresholds: Thresholds{Ranges: []Range{
			{Part: "low go/rust", Lo: 0, Hi: 1.1, Closed: true, Unit: "cost ratio", Label: "report: at low traffic Go costs no more", Unshaded: true,
				Contradicts: []Span{{Lo: 1.1, Hi: inf, LoOpen: true}}},
			{Part: "peak rust/go", Lo: 0, Hi: 1, Unit: "cost ratio", Label: "report: at peak Rust saves resources", Unshaded: true,
				Contradicts: []Span{{Lo: 1, Hi: inf}}},
		}},
		Pairings: []Pairing{echoIdiomatic, echoBest},
		evaluate: evalAPILoadEconomics,
	},
	{
		ID: "realtime-latency", Lines: "2030-2032",
		Original:       "毫秒级延迟要求可用Golang; 微秒级延迟要求需考虑Rust",
		Statement:      "Go meets millisecond latency targets, microsecond targets need Rust",
		MeasuredBy:     "p99, p99.9 and max latency (coordinated-omission corrected) at fixed rates",
		Rule:           "p99.9 (corrected) at the medium rate: Go's against millisecond targets, Rust's against microsecond ones, and Go's against missing them; the instrument's floor is the load generator's schedule lag and an idle CPU's stalls, p99.9",
		Interpretation: "'Millisecond latency requirements' are read as p99.9 under 1 ms, 'microsecond' as p99.9 under 100 µs.",
		Thresholds: Thresholds{FloorMargin: floorMargin, Ranges: []Range{
			{Part: "go", Lo: 0, Hi: 1e6, Unit: units.LatP999, Label: "report: Go meets millisecond targets"},
			{Part: "rust", Lo: 0, Hi: 100e3, Unit: units.LatP999, Label: "report: microsecond targets need Rust"},
			{Part: "go-not-us", Lo: 100e3, Hi: inf, Unit: units.LatP999, Label: "report: Go misses microsecond targets"},
		}},
		Pairings: []Pairing{echoIdiomatic, latBest},
		evaluate: evalRealtimeLatency,
	},
	{
		ID: "goroutine-footprint", Lines: "201",
		Original:       "Goroutines轻量级(约2KB起始栈)，支持创建百万级并发单元",
		Statement:      "a goroutine starts at about 2 KB; a million of them are practical",
		MeasuredBy:     "RSS per parked goroutine at 10k/100k/1M, spawn time; the same for tokio tasks and OS threads",
		Rule:           "the RSS grown per parked goroutine at the largest N run with an interval against the range; a million goroutines: holds if a run of 1,000,000 ended ok (or was interrupted after at least one complete run), contradicted if it failed, inconclusive if the run's interruption cut it short before it completed once",
		Interpretation: "'About 2 KB' is read as within a factor of two of 2 KiB, measured as (VmRSS parked - VmRSS before) / N, which includes each goroutine's g struct and closure; the runtime's own stack accounting (exactly 2048 B, its minimum stack) is shown as the exact reference. 'A million are practical' is read as a million-goroutine run completing here within the profile.",
		Thresholds: Thresholds{Ranges: []Range{
			{Part: "go", Lo: 1 << 10, Hi: 4 << 10, Closed: true, Unit: "bytes per task", Label: "report: about 2 KB per goroutine"},
		}},
		evaluate: evalGoroutineFootprint,
	},
	{
		ID: "channel-throughput", Lines: "342, 384, 716, 860",
		Original:       "crossbeam 无锁数据结构 / 工作窃取; flume 高性能通道",
		Statement:      "Rust's lock-free channels outperform (the lines name crossbeam and flume as Rust strengths; none compares them with Go's channels)",
		MeasuredBy:     "fan-out messages/s and per-message latency: Go channels vs crossbeam/flume/tokio mpsc vs a C pthread queue",
		Rule:           "on each pairing and at each fan-out shape (messages M, workers K, capacity B, threads T) where the workers are at most four per thread, Rust's channel against Go's by time per message (Mann-Whitney); a pairing holds if a majority of those shapes hold and none contradicts, is contradicted if a majority contradicts and none holds; shapes with more workers than that are shown, not judged",
		Interpretation: "The report's lines do not compare anything with Go: 342 and 860 name crossbeam's lock-free structures and flume's 'high-performance channels' as Rust strengths; 384 (work stealing) and 716 are not about channels, and flume is not lock-free (it uses a lock). We test the comparison those lines invite: Rust's channels carry messages faster than Go's at the same workers, buffer and threads. Many workers on one or two CPUs (K=64) measure OS threads against goroutines rather than the queues, so those shapes are shown, not judged.",
		Pairings:       []Pairing{chanIdiomatic, chanNamed, chanBest},
		evaluate:       evalChannelThroughput,
	},
	{
		ID: "serialization", Lines: "307, 319",
		Original:       "标准库便捷但性能一般，代码生成方案性能优异; Rust的编译期代码生成和零拷贝技术带来性能优势，特别是在处理大量数据时",
		Statement:      "Go's encoding/json is average and code generation is fast; serde's compile-time code generation and zero-copy win, above all on large data",
		MeasuredBy:     "decode and encode time per document into typed structures (MB/s), allocations and peak RSS, for three document shapes at growing sizes: encoding/json, easyjson, sonic, go-json and encoding/json/v2 against serde_json (owned and borrowing), sonic-rs and simd-json",
		Rule:           "decided on decode time at the largest size, per shape, each part by a majority of shapes with none opposed, on each pairing: encoding/json significantly slower than the fastest other Go library; the pairing's Rust library significantly faster than its Go library; and the Go / Rust time ratio larger at the largest size than at the smallest (intervals apart)",
		Interpretation: "'Average' is read as slower than the code-generating and fast Go libraries; 'serde wins' as the Rust side faster than the Go side of each pairing: idiomatic (encoding/json vs serde_json with owned types), best (each language's fastest library at that shape and size), codegen (easyjson vs serde_json: generated code against derived code, owned types) and borrowed (sonic, which keeps strings in the input, vs serde's borrowing mode: zero copy against zero copy); 'above all on large data' as the Rust advantage growing with document size. Line 319 credits compile-time code generation and zero copy: the codegen pairing isolates the first, the borrowed pairing the second.",
		Pairings:       []Pairing{jsonIdiomatic, jsonBest, jsonCodegen, jsonBorrowed},
		evaluate:       evalSerialization,
	},
	{
		ID: "data-pipeline-memory", Lines: "2027-2029",
		Original:       "小数据量Golang简单高效; 大数据量Rust内存效率高",
		Statement:      "with large data Rust is more memory efficient",
		MeasuredBy:     "peak RSS per input byte of the JSON workload as the document grows",
		Rule:           "on each pairing, at the largest size run, per shape: the Rust side's peak RSS per input byte significantly lower than the Go side's, by a majority of shapes with none opposed; the trend over sizes and the smallest size are shown",
		Interpretation: "'Rust more memory efficient with large data' is read as less peak memory per byte of input at the largest document, on each pairing: idiomatic (encoding/json vs serde_json owned), best (each language's leanest library, serde's borrowing mode included) and borrowed (sonic vs serde borrowing). The small-data half ('Go simple and efficient with small data') is not judged: 'simple' is not a measurement, and 'efficient' names no resource and no rival; the smallest size is shown beside it.",
		Pairings:       []Pairing{jsonIdiomatic, jsonLeanest, jsonBorrowed},
		evaluate:       evalDataPipelineMemory,
	},
	{
		ID: "numeric", Lines: "572-573, 582, 590",
		Original:       "BLAS/LAPACK绑定提供加速; 缺乏向量化和自动并行化; SIMD指令集优化; Rust在数值计算方面具有更好的性能特性",
		Statement:      "Go numerics lack vectorisation, Rust's SIMD makes it faster",
		MeasuredBy:     "dense matrix multiply GFLOPS: naive loops, the best library of each language (gonum, faer), and gonum on OpenBLAS through its netlib binding, against C with OpenBLAS",
		Rule:           "on each pairing, at each thread count and the largest size where both sides ran: Rust significantly faster than Go (Mann-Whitney) holds, Go significantly faster contradicts",
		Pairings:       []Pairing{numLibrary, numBest, numNaive, numBindings},
		evaluate:       evalNumeric,
		Interpretation: "Line 572 says Go gets numeric speed from BLAS/LAPACK bindings, line 573 that Go lacks vectorisation and auto-parallelisation, lines 582 and 590 that Rust's SIMD makes it faster. The library pairing (gonum's pure-Go BLAS vs faer) tests 582/590; the naive pairing (the same triple loop in both) tests 573's auto-vectorisation; the bindings pairing (gonum on OpenBLAS, which 572 speaks of, against faer) tests whether Go with its BLAS bindings still trails Rust.",
	},
	{
		ID: "compile-speed", Lines: "152-153",
		Original:   "Golang：编译速度极快; Rust：编译速度较慢",
		Statement:  "Go compiles much faster",
		MeasuredBy: "clean and one-file-changed rebuild time of the matched peers (gorustbench build)",
		Rule:       "Rust/Go build-time ratio for the clean build and the one-file-changed rebuild, both parts must hold; the build record holds one build of each, which gives no interval, so the ratio is shown and the claim is inconclusive until builds are repeated",
		Thresholds: Thresholds{Ranges: []Range{
			{Part: "rust/go", Lo: 2, Hi: inf, Unit: "build-time ratio", Label: "report: Go compiles much faster",
				Contradicts: []Span{{Lo: 0, Hi: 1, Closed: true}}},
		}},
		Unreachable: map[string]string{
			Holds:        "the build record holds one clean build and one rebuild per language, so the ratio has no interval; 'gorustbench build' would have to repeat the builds",
			Contradicted: "the same: one build each gives no interval",
		},
		evaluate: evalCompileSpeed,
	},
	{
		ID: "binary-size", Lines: "152, 1251",
		Original:   "生成静态二进制; 小体积二进制(~100KB vs Go几MB)",
		Statement:  "Go makes static binaries; Rust binaries are far smaller (~100 KB vs several MB)",
		MeasuredBy: "every Go peer: ELF interpreter, needed libraries, CGO_ENABLED and the packages that use cgo; the hello peers built for wasm32-wasip1: size as built and after wasm-strip; the native hello sizes as information",
		Rule:       "static part holds if every Go peer whose build uses no cgo has no ELF interpreter, contradicted if one is dynamic; the peers that use cgo are named with their reason, informatively. Size part: Rust's and Go's stripped hello.wasm, one exact size each, each against its range; the native stripped hellos are judged against the same ranges, informatively",
		Interpretation: "'~100KB vs Go几MB' (line 1251) sits under the WebAssembly heading (line 1222), so it is judged on .wasm output: WASI preview 1, the hello peer, stripped of custom sections; '~100 KB' is read as [50 KB, 200 KB] and 'several MB' as [1 MB, 10 MB). " +
			"'Go makes static binaries' (line 152) is read as: a Go program that uses no cgo links without an ELF interpreter. A program that uses cgo is dynamic by design (its own import \"C\"), and so by default is one importing net or os/user where cgo is available (CGO_ENABLED=1, the default with a C compiler installed), which CGO_ENABLED=0 makes static; those are named, not counted against the claim.",
		Thresholds: Thresholds{Ranges: []Range{
			{Part: "rust", Lo: 50e3, Hi: 200e3, Closed: true, Unit: units.Stripped, Label: "report: Rust .wasm ~100 KB"},
			{Part: "go", Lo: 1e6, Hi: 10e6, Unit: units.Stripped, Label: "report: Go .wasm several MB"},
		}},
		evaluate: evalBinarySize,
	},
	{
		ID: "ffi-cost", Lines: "1075, 1095",
		Original:       "cgo调用有性能开销; 外部函数接口(FFI)零开销",
		Statement:      "a cgo call has overhead, Rust's FFI has none",
		MeasuredBy:     "ns per call of a trivial C function from Go (cgo) and from Rust, against each language's plain non-inlined call",
		Rule:           "paired per-call time ratios by round: cgo / plain Go call, and Rust FFI / plain Rust call",
		Interpretation: "'Has overhead' is read as a cgo call slower than a plain call; 'zero overhead' as within 10% of a plain non-inlined call with the same black_box treatment. An FFI call faster than the plain call by more than 10% is an artefact, not a contradiction.",
		Thresholds: Thresholds{Ranges: []Range{
			{Part: "cgo/plain", Lo: 1, Hi: inf, Unit: "FFI/plain time ratio", Label: "report: cgo has overhead", Unshaded: true,
				Contradicts: []Span{{Lo: 0, Hi: 1, Closed: true}}},
			{Part: "rust", Lo: 0.9, Hi: 1.1, Closed: true, Unit: "FFI/plain time ratio", Label: "report: zero overhead",
				Contradicts: []Span{{Lo: 1.1, Hi: inf, LoOpen: true}}},
		}},
		evaluate: evalFFI,
	},
	{
		ID: "cgo-overhead-large", Lines: "1099", Added: true,
		Original:       "Golang的cgo提供了基本的C互操作能力，但性能开销较大",
		Statement:      "cgo's performance overhead is large",
		MeasuredBy:     "ns per call of a trivial C function through cgo against a plain non-inlined Go call (the ffi workload)",
		Rule:           "cgo/plain time ratio, paired by round",
		Interpretation: "'Large' is read against the call itself: a cgo call costing at least five plain calls; under two plain calls the overhead is small, and the claim is contradicted.",
		Thresholds: Thresholds{Ranges: []Range{
			{Part: "cgo/plain", Lo: 5, Hi: inf, Unit: "time ratio", Label: "report: large overhead",
				Contradicts: []Span{{Lo: 0, Hi: 2}}},
		}},
		evaluate: evalCgoLarge,
	},
	{
		ID: "go-resources", Lines: "181, 1617", Added: true,
		Original:       "GC带来的劣势：...内存占用较大; 资源消耗高于C/Rust",
		Statement:      "Go's GC makes it use more memory; Go consumes more resources than C and Rust",
		MeasuredBy:     "peak RSS of the same programs in each language: hello, the five CPU kernels (ordinary build, one thread), and the idle echo services",
		Rule:           "per program, C's (and Rust's) peak RSS significantly lower than Go's (Mann-Whitney) holds, significantly higher contradicts; the claim holds if a majority of programs hold and none contradicts, is contradicted if a majority contradicts and none holds",
		Interpretation: "'Resources' is read as memory here; CPU is judged by cpu-vs-c and api-load-economics.",
		evaluate:       evalGoResources,
	},
	{
		ID: "predictability", Lines: "2011, 724, 2020", Added: true,
		Original:       "Rust: 无GC停顿(更可预测); 无GC暂停导致更可预测的延迟; 延迟敏感 首选Rust 无GC暂停更可靠",
		Statement:      "without GC pauses, Rust's latency is more predictable",
		MeasuredBy:     "the hiccup meter's p99 in the stalls window (at the medium rate, half the slowest server's maximum), and the latency tail's spread (p99.9 / p50) at the medium rate, Go vs Rust echo services",
		Rule:           "on each pairing, Rust's stalls (hiccup p99 per stalls window at the medium rate) significantly smaller than Go's and its latency tail spread (p99.9 / p50 at the medium rate) significantly narrower; contradicted if either is significantly the other way",
		Interpretation: "'More predictable' is read as smaller stalls and a narrower tail relative to the median, on the same machine and load.",
		Pairings:       []Pairing{echoIdiomatic, echoBest},
		evaluate:       evalPredictability,
	},
	{
		ID: "interop-efficiency", Lines: "1099", Added: true,
		Original:       "Rust提供了更广泛的绑定和更高效的互操作机制...Golang的cgo提供了基本的C互操作能力，但性能开销较大",
		Statement:      "Rust's interop with C is more efficient than Go's cgo",
		MeasuredBy:     "ns per call of the same trivial C function through Rust's FFI and through cgo (the ffi workload)",
		Rule:           "Rust FFI call against cgo call, per-call time (Mann-Whitney): Rust significantly faster holds, significantly slower contradicts",
		Interpretation: "'More efficient interop' is read as a cheaper call into C; the breadth of bindings and WebAssembly support are not measured.",
		evaluate:       evalInterop,
	},
	{
		ID: "fasthttp-fast", Lines: "430, 1157", Added: true,
		Original:       "fasthttp提供高性能HTTP客户端负载均衡; fasthttp高性能HTTP库",
		Statement:      "fasthttp is a high-performance HTTP library",
		MeasuredBy:     "the echo services' maximum throughput on one CPU: fasthttp against net/http, with axum and hyper shown",
		Rule:           "fasthttp's maximum throughput against net/http's (Mann-Whitney): significantly higher holds, significantly lower contradicts; windows where the load generator may have set the pace decide nothing",
		Interpretation: "'High performance' is read against Go's standard server: more requests per second on the same CPU. Line 430 speaks of its client for load balancing, which is not measured; the server is.",
		evaluate:       evalFasthttp,
	},
	{
		ID: "wasm-go-vs-rust", Lines: "1234-1236, 1252", Added: true,
		Original:       "二进制体积较大; 启动时间较长; GC在浏览器中性能影响; 无GC导致性能优越",
		Statement:      "Go WebAssembly starts slower (and its GC costs), Rust WebAssembly performs better without a GC",
		MeasuredBy:     "the hello, binarytrees and spectralnorm peers built for wasm32-wasip1 in Go (GOOS=wasip1) and Rust (Debian's rustc, wasm32-wasi), run under one WASI runtime (cmd/wasmrun: wazero, compiling each module on every start, no cache): the hello's exec to exit, and each kernel's own time per run",
		Rule:           "Rust's .wasm hello significantly faster to start than Go's (Mann-Whitney) holds the first part, significantly slower contradicts it; Rust's binarytrees significantly faster than Go's holds the second, slower contradicts it; both must hold. spectralnorm is informative",
		Interpretation: "Lines 1234-1236 list Go WebAssembly's limits (large binaries, longer start-up, the GC's cost in the browser); line 1252 says Rust's has no GC and so performs better. No browser runs here: the same WASI runtime runs both languages' modules, so the runtime's costs fall on both alike. Start-up is read with compilation in it (a .wasm is compiled when it is loaded, and a larger module takes longer); 'performs better without a GC' is read on binarytrees, whose work is allocating trees, with spectralnorm (no allocation) beside it to show how much of a gap is code, not the collector. Line 1251's sizes are binary-size's.",
		evaluate:       evalWasm,
	},
}

// Outcomes are the verdicts the claim's rule can reach: holds, contradicted, inconclusive
// and not measured (only the last for a claim not measurable yet); depends for a claim judged on two or more pairings a peer can answer;
// less those it declares Unreachable.
func (c *Claim) Outcomes() []string {
	if c.evaluate == nil {
		return []string{NotMeasured} // pending: it says why
	}
	all := []string{Holds, Contradicted, Inconclusive, NotMeasured}
	measurable := 0
	for _, p := range c.Pairings {
		if p.Missing == "" {
			measurable++
		}
	}
	if measurable > 1 {
		all = append(all, Depends)
	}
	var out []string
	for _, o := range all {
		if _, no := c.Unreachable[o]; !no {
			out = append(out, o)
		}
	}
	return out
}

// Workloads are the workloads whose samples feed the claim (suite.Workload.Claims), in run
// order; compile-speed and binary-size read the build record besides.
func (c *Claim) Workloads() []string {
	var out []string
	for _, w := range suite.Workloads {
		if slices.Contains(w.Claims, c.ID) {
			out = append(out, w.Name)
		}
	}
	return out
}

// Lookup finds a claim by id.
func Lookup(id string) *Claim {
	for _, c := range Registry {
		if c.ID == id {
			return c
		}
	}
	return nil
}

// Measurable reports whether this version can judge the claim on a run.
func (c *Claim) Measurable() bool { return c.evaluate != nil }

// Pending says why the claim is not measured yet ("" when it is).
func (c *Claim) Pending() string { return c.pending }

// MarshalJSON writes an open upper end (+Inf, which JSON cannot hold) as null.
func (r Range) MarshalJSON() ([]byte, error) {
	type plain Range
	var hi *float64
	if !math.IsInf(r.Hi, 1) {
		hi = &r.Hi
	}
	return json.Marshal(struct {
		plain
		Hi *float64 `json:"hi"`
	}{plain(r), hi})
}
