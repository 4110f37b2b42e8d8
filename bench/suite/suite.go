// Package suite says what a run runs: workloads, their implementations (peers), the
// parameters of each case, and the profiles smoke, quick and full. It knows where every peer
// binary lives; it does not run anything.
package suite

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/gorustbench/gorustbench/bench/key"
	"github.com/gorustbench/gorustbench/bench/peer"
	"github.com/gorustbench/gorustbench/bench/units"
)

// Impl is one implementation of a workload: a binary and the variant inside it.
type Impl struct {
	Lang    string // go, rust, c
	Variant string // std, naive, gonum, faer, openblas, cgo, ...
	Binary  string // path relative to the repository root
	// Build is "native" for the tuned build's binary (NativePath), "wasm" for the
	// WebAssembly build run under WasmRuntime; "" for the ordinary one.
	Build string
	// Module is the WebAssembly module Binary (the runtime) runs, relative to the root; ""
	// for a native peer.
	Module string
}

// ID names the implementation in results and on the command line: "c-std", "go-gonum".
func (i Impl) ID() string { return i.Lang + "-" + i.Variant }

// Workload is one thing every language computes, described once: its implementations, how
// its cases are named, its parameters per profile, how its outputs are checked, the units it
// records and the claims it feeds. Adding a workload is a descriptor here, its peers, and
// its rule functions in claims and its section in report (workloads/README.md says how).
type Workload struct {
	Name string // as the command line calls it: hello, matmul, ffi
	// Peer is the name the peers give in their result line, when not Name (the wasm builds
	// of hello and the kernels).
	Peer string
	// Title is the benchmark name's base in samples.bench: Hello, Matmul, FFI.
	Title string
	// Checksum, if set, is the checksum every implementation must return (the workload's
	// definition fixes it); Answer, if set, computes it for a case's parameters, independently
	// of every peer. Otherwise implementations are checked against each other.
	Checksum  string
	Answer    func(peer.Params) string
	Tolerance peer.Tolerance
	Impls     []Impl
	// Server workloads run as server peers under load from the harness (Case.Load).
	Server bool
	// Named are the parameters that are part of a case's name (those the profiles vary).
	Named Dims
	// Cases plans the workload's cases for a profile on a machine with cpus CPUs.
	Cases func(w *Workload, p Profile, cpus int) []*Case
	// Prepare, if set, readies a case before it runs (generates its input under root's cache)
	// and sets what it needs; an error fails the case with that reason.
	Prepare func(root string, c *Case) error
	// Units are what its samples record; Claims the claim IDs its samples feed (claims reads
	// it: 'gorustbench claims --json' lists each claim's workloads, and its tests check the
	// two agree).
	Units  []string
	Claims []string
}

// PeerName is the workload's name in its peers' result lines: Peer, or Name.
func (w *Workload) PeerName() string {
	if w.Peer != "" {
		return w.Peer
	}
	return w.Name
}

// Dims is a set of parameters.
type Dims uint8

const (
	DimSize Dims = 1 << iota
	DimWorkers
	DimCapacity
	DimThreads
)

// Key names a case of implementation impl with parameters p: "Matmul/impl=go-naive/size=512/threads=1".
func (w *Workload) Key(impl string, p peer.Params) key.Key {
	k := key.Key{Bench: w.Title, Impl: impl}
	if w.Named&DimSize != 0 {
		k.Size = key.N(p.Size)
	}
	if w.Named&DimWorkers != 0 {
		k.Workers = key.N(p.Workers)
	}
	if w.Named&DimCapacity != 0 {
		k.Capacity = key.N(p.Capacity)
	}
	if w.Named&DimThreads != 0 {
		k.Threads = key.N(p.Threads)
	}
	return k
}

// Known is the checksum every implementation of a case must return, when the workload fixes
// or computes it; "" when implementations are checked against each other.
func (c *Case) Known() string {
	if c.Workload.Answer != nil {
		return c.Workload.Answer(c.Params)
	}
	return c.Workload.Checksum
}

// Profile is a named run size.
type Profile string

const (
	Smoke Profile = "smoke" // seconds: does everything work
	Quick Profile = "quick" // minutes: the default
	Full  Profile = "full"  // long: more sizes and repetitions
)

// Profiles are the named run sizes, smallest first.
var Profiles = []Profile{Smoke, Quick, Full}

// Pick returns the value for the profile.
func Pick[T any](p Profile, smoke, quick, full T) T {
	switch p {
	case Smoke:
		return smoke
	case Quick:
		return quick
	}
	return full
}

// Case is one implementation of one workload with one set of parameters.
type Case struct {
	Workload *Workload
	Impl     Impl
	Params   peer.Params
	Shape    string        // the input's shape, for workloads that read one (json); part of the name
	Input    string        // --input, set by the workload's Prepare
	InputB   int64         // the input file's size in bytes
	Hiccup   bool          // pass --hiccup
	Warmup   int           // runs before the timed ones, discarded (the first also verifies)
	Repeat   int           // timed runs
	Timeout  time.Duration // per run; the whole process group is killed past it
	Load     *LoadPlan     // server workloads: what load to apply after the start-up runs
}

// LoadPlan is how a server workload is loaded. Every load level runs in a fresh server
// process, so its GC pauses, hiccups and peak memory belong to that level alone.
type LoadPlan struct {
	Settle    time.Duration // wait after the first 200 before reading idle RSS
	Cold      int           // start-up runs with the page cache dropped first (where permitted)
	Conns     int           // keep-alive connections
	Warmup    time.Duration // load before each recorded window
	Duration  time.Duration // recorded window per level
	Fractions []float64     // open-loop rates, as fractions of the slowest server's maximum
	Levels    []key.Level   // names of those rates: low, medium, high
	// StallsFraction is the rate of the window with the hiccup meter (key.Stalls); 0: none.
	StallsFraction float64
	Rounds         int // how many times the open-loop levels are repeated, interleaved
}

// Group is the key of a comparison: workload and parameters. Cases of one group are verified
// against each other and interleaved.
func (c *Case) Group() string {
	p := c.Params
	g := fmt.Sprintf("%s/size=%d/iters=%d", c.Workload.Name, p.Size, p.Iters)
	if c.Workload.Named&(DimWorkers|DimCapacity) != 0 {
		g += fmt.Sprintf("/workers=%d/capacity=%d", p.Workers, p.Capacity)
	}
	if c.Shape != "" {
		g += "/shape=" + c.Shape
	}
	return g + fmt.Sprintf("/threads=%d/seed=%d", p.Threads, p.Seed)
}

// Key names the case; server samples add a phase to it (key.Key.Startup, AtLevel).
func (c *Case) Key() key.Key {
	k := c.Workload.Key(c.Impl.ID(), c.Params)
	k.Build, k.Shape = c.Impl.Build, c.Shape
	return k
}

// Name is the benchmark name in samples.bench, without the "Benchmark" prefix:
// "Hello/impl=c-std", "Matmul/impl=go-naive/size=512/threads=1".
func (c *Case) Name() string { return c.Key().String() }

// ID is a file-name-safe unique name of the case, used for its log files.
func (c *Case) ID() string {
	return strings.NewReplacer("/", "_", "=", "-").Replace(c.Name())
}

// Args is the peer's command line, after the binary.
func (c *Case) Args() []string {
	p := c.Params
	args := []string{
		"--variant", c.Impl.Variant,
		"--size", fmt.Sprint(p.Size), "--iters", fmt.Sprint(p.Iters),
		"--threads", fmt.Sprint(p.Threads), "--seed", fmt.Sprint(p.Seed),
	}
	if c.Workload.Named&(DimWorkers|DimCapacity) != 0 {
		args = append(args, "--workers", fmt.Sprint(p.Workers), "--capacity", fmt.Sprint(p.Capacity))
	}
	if c.Input != "" {
		args = append(args, "--input", c.Input)
	}
	if c.Hiccup {
		args = append(args, "--hiccup")
	}
	return args
}

// Expect is what the case's result line must say.
func (c *Case) Expect() peer.Expect {
	return peer.Expect{Workload: c.Workload.PeerName(), Lang: c.Impl.Lang, Variant: c.Impl.Variant, Params: c.Params, Hiccup: c.Hiccup, NoPeak: c.Impl.Module != ""}
}

// BinaryPath is the peer's executable under root.
func (c *Case) BinaryPath(root string) string { return filepath.Join(root, c.Impl.Binary) }

// NativePath maps a peer's default binary path to its native build's (-march=native,
// target-cpu=native, GOAMD64=v3), which 'gorustbench build --native' writes.
func NativePath(path string) string {
	for _, m := range [][2]string{
		{"workloads/bin/", "workloads/bin-native/"},
		{"rustpeers/target/release/", "rustpeers/target/native/release/"},
		{"cpeers/bin/", "cpeers/bin-native/"},
	} {
		if rest, ok := strings.CutPrefix(path, m[0]); ok {
			return m[1] + rest
		}
	}
	return path
}

// UseNative points every case at the native build of its peer.
func UseNative(cases []*Case) {
	for _, c := range cases {
		if c.Impl.Module != "" {
			continue // a wasm peer has no native build
		}
		c.Impl.Binary = NativePath(c.Impl.Binary)
	}
}

// Native is the implementation's tuned build: the same program from the native binaries.
func (i Impl) Native() Impl {
	i.Binary, i.Build = NativePath(i.Binary), "native"
	return i
}

// Binary paths per language: workloads/README.md.
func goBin(name string) string   { return "workloads/bin/" + name }
func rustBin(name string) string { return "rustpeers/target/release/" + name }
func cBin(name string) string    { return "cpeers/bin/" + name }

// Hello is the start-up workload.
var Hello = &Workload{
	Name: "hello", Title: "Hello",
	Checksum: "e60e7ee648829675", // FNV-1a 64 of "hello, world\n"
	Impls: []Impl{
		{Lang: "c", Variant: "std", Binary: cBin("hello")},
		{Lang: "go", Variant: "std", Binary: goBin("hello")},
		{Lang: "rust", Variant: "std", Binary: rustBin("hello")},
	},
	Cases: func(w *Workload, p Profile, _ int) []*Case {
		return w.each(peer.Params{Iters: 1, Threads: 1, Seed: 1}, Pick(p, 2, 10, 20), Pick(p, 10, 200, 1000), 10*time.Second, false)
	},
	Units:  []string{units.Exec, units.PerOp, units.User, units.Sys, units.PeakRSS},
	Claims: []string{"startup-service", "startup-serverless", "binary-size", "go-resources"},
}

// Matmul is dense float64 matrix multiply.
var Matmul = &Workload{
	Name: "matmul", Title: "Matmul",
	Tolerance: peer.Tolerance{Rel: 1e-9, Abs: 1e-6},
	Answer:    matmulAnswer, // up to MatmulAnswerMax; above it the implementations must agree
	Impls: []Impl{
		{Lang: "c", Variant: "naive", Binary: cBin("matmul")},
		{Lang: "c", Variant: "openblas", Binary: cBin("matmul")},
		{Lang: "go", Variant: "naive", Binary: goBin("matmul")},
		{Lang: "go", Variant: "gonum", Binary: goBin("matmul")},
		{Lang: "go", Variant: "openblas", Binary: goBin("matmul-openblas")},
		{Lang: "rust", Variant: "naive", Binary: rustBin("matmul")},
		{Lang: "rust", Variant: "faer", Binary: rustBin("matmul")},
	},
	Named: DimSize | DimThreads,
	Cases: func(w *Workload, p Profile, cpus int) []*Case {
		var out []*Case
		for _, n := range Pick(p, []int64{64}, []int64{128, 256, 512, 1024}, []int64{128, 256, 512, 1024, 2048}) {
			// Enough multiplications that a run lasts tens of ms even at small sizes.
			iters := max(1, (int64(1)<<26)/(n*n*n))
			for _, t := range threadCounts(cpus) {
				out = append(out, w.each(peer.Params{Size: n, Iters: iters, Threads: t, Seed: 42}, 1, Pick(p, 3, 6, 10), 10*time.Minute, false)...)
			}
		}
		return out
	},
	Units:  []string{units.Exec, units.PerOp, units.User, units.Sys, units.PeakRSS, units.HiccupP99, units.HiccupMax, units.GCPauses, units.GCPauseMax, units.GCTotal},
	Claims: []string{"cpu-vs-c", "numeric", "gc-pauses"},
}

// FFI is the cost of a trivial C call.
var FFI = &Workload{
	Name: "ffi", Title: "FFI",
	Impls: []Impl{
		{Lang: "c", Variant: "plain", Binary: cBin("ffi")},
		{Lang: "go", Variant: "plain", Binary: goBin("ffi")},
		{Lang: "go", Variant: "cgo", Binary: goBin("ffi")},
		{Lang: "rust", Variant: "plain", Binary: rustBin("ffi")},
		{Lang: "rust", Variant: "ffi", Binary: rustBin("ffi")},
	},
	Named: DimSize | DimThreads,
	Cases: func(w *Workload, p Profile, _ int) []*Case {
		return w.each(peer.Params{Iters: Pick[int64](p, 1_000_000, 100_000_000, 300_000_000), Threads: 1, Seed: 1}, 1, Pick(p, 3, 10, 20), 2*time.Minute, false)
	},
	Units:  []string{units.Exec, units.PerOp, units.User, units.Sys, units.PeakRSS},
	Claims: []string{"ffi-cost", "cgo-overhead-large", "interop-efficiency"},
}

// Echo is the HTTP echo service.
var Echo = &Workload{
	Name: "echo", Title: "Echo", Server: true,
	Checksum: "3000e56026044164", // FNV-1a 64 of "echo"
	Impls: []Impl{
		{Lang: "go", Variant: "std", Binary: goBin("echo")},
		{Lang: "go", Variant: "fasthttp", Binary: goBin("echo")},
		{Lang: "rust", Variant: "axum", Binary: rustBin("echo")},
		{Lang: "rust", Variant: "hyper", Binary: rustBin("echo")},
	},
	Cases: func(w *Workload, p Profile, _ int) []*Case {
		plan := &LoadPlan{
			Settle:    Pick(p, 100*time.Millisecond, 300*time.Millisecond, 500*time.Millisecond),
			Cold:      Pick(p, 1, 6, 10),
			Conns:     32,
			Warmup:    Pick(p, 300*time.Millisecond, 500*time.Millisecond, 2*time.Second),
			Duration:  Pick(p, time.Second, 2*time.Second, 10*time.Second),
			Fractions: []float64{0.1, 0.5, 0.9}, Levels: key.OpenLevels, StallsFraction: 0.5,
			// Six rounds give every load level a 95% interval; each round also measures the maximum again.
			Rounds: Pick(p, 1, 6, 10),
		}
		// One worker thread on one CPU: the load generator gets the others.
		out := w.each(peer.Params{Size: 1024, Iters: 1, Threads: 1, Seed: 1}, 2, Pick(p, 3, 20, 50), 10*time.Second, false)
		for _, c := range out {
			c.Load = plan
		}
		return out
	},
	Units: []string{units.Exec, units.First200, units.IdleRSS, units.PeakRSS, units.User, units.Sys, units.Throughput, units.TargetRate,
		units.LatP50, units.LatP90, units.LatP99, units.LatP999, units.LatMax, units.LatP99Uncorr, units.CPUPerReq, units.ServerRSS,
		units.Errors, units.Limited, units.HiccupP99, units.HiccupMax, units.GCPauses, units.GCPauseMax},
	Claims: []string{"startup-service", "startup-serverless", "memory-service", "memory-serverless", "io-model",
		"api-load-economics", "realtime-latency", "gc-pauses", "go-resources", "predictability", "fasthttp-fast"},
}

// Workloads lists every workload the harness knows, in run order.
var Workloads = []*Workload{Hello, Matmul, FFI, JSON, Echo, Fanout, Footprint, Nbody, Spectralnorm, Fannkuch, Mandelbrot, Binarytrees,
	WasmHello, WasmBinarytrees, WasmSpectralnorm}

// Lookup finds a workload by name.
func Lookup(name string) *Workload {
	for _, w := range Workloads {
		if w.Name == name {
			return w
		}
	}
	return nil
}

// each is one case per implementation with the same parameters.
func (w *Workload) each(p peer.Params, warmup, repeat int, timeout time.Duration, hiccup bool) []*Case {
	var out []*Case
	for _, impl := range w.Impls {
		out = append(out, &Case{Workload: w, Impl: impl, Params: p, Warmup: warmup, Repeat: repeat, Timeout: timeout, Hiccup: hiccup})
	}
	return out
}

// threadCounts are 1 and, on a machine with more, every CPU.
func threadCounts(cpus int) []int64 {
	if cpus > 1 {
		return []int64{1, int64(cpus)}
	}
	return []int64{1}
}

// Plan returns the cases of a profile, restricted to the named workloads and implementation
// IDs when those are non-empty. cpus is how many CPUs the machine has (the "all CPUs" thread
// count). Unknown names are an error that lists the known ones.
func Plan(profile string, workloads, impls []string, cpus int) ([]*Case, error) {
	p := Profile(profile)
	if !slices.Contains(Profiles, p) {
		return nil, fmt.Errorf("unknown profile %q (have smoke, quick, full)", profile)
	}
	knownImpls := map[string]bool{}
	for _, w := range Workloads {
		for _, i := range w.Impls {
			knownImpls[i.ID()] = true
			knownImpls[i.Lang] = true
		}
	}
	for _, w := range workloads {
		if Lookup(w) == nil {
			return nil, fmt.Errorf("unknown workload %q (have %s)", w, strings.Join(Names(), ", "))
		}
	}
	for _, i := range impls {
		if !knownImpls[i] {
			return nil, fmt.Errorf("unknown implementation %q (give a language like go, or an ID like rust-faer; see 'gorustbench run --help')", i)
		}
	}
	var cases []*Case
	for _, w := range Workloads {
		if len(workloads) > 0 && !slices.Contains(workloads, w.Name) {
			continue
		}
		for _, c := range w.Cases(w, p, cpus) {
			if len(impls) > 0 && !slices.Contains(impls, c.Impl.ID()) && !slices.Contains(impls, c.Impl.Lang) {
				continue
			}
			cases = append(cases, c)
		}
	}
	return cases, nil
}

// Names are the workloads' names, in run order.
func Names() []string {
	var out []string
	for _, w := range Workloads {
		out = append(out, w.Name)
	}
	return out
}

// FloorKey names the samples of the idle hiccup meter (cpeers/idle) run on a server's CPU in
// each load round: the machine's own stalls, the floor of every latency figure.
var FloorKey = key.Key{Bench: "Floor", Impl: CIdle}

// FloorBinary is the idle peer.
var FloorBinary = cBin("idle")
