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

	"github.com/gorustbench/gorustbench/bench/peer"
)

// Impl is one implementation of a workload: a binary and the variant inside it.
type Impl struct {
	Lang    string // go, rust, c
	Variant string // std, naive, gonum, faer, openblas, cgo, ...
	Binary  string // path relative to the repository root
}

// ID names the implementation in results and on the command line: "c-std", "go-gonum".
func (i Impl) ID() string { return i.Lang + "-" + i.Variant }

// Workload is one thing every language computes.
type Workload struct {
	Name string // as the peers call it: hello, matmul, ffi
	// Title is the benchmark name's base in samples.bench: Hello, Matmul, FFI.
	Title string
	// Checksum, if set, is the checksum every implementation must return (the workload's
	// definition fixes it); otherwise implementations are checked against each other.
	Checksum  string
	Tolerance peer.Tolerance
	Impls     []Impl
	// Server workloads run as server peers under load from the harness (Case.Load).
	Server bool
}

// Case is one implementation of one workload with one set of parameters.
type Case struct {
	Workload *Workload
	Impl     Impl
	Params   peer.Params
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
	Labels    []string      // names of those rates: low, medium, high
	Rounds    int           // how many times the open-loop levels are repeated, interleaved
}

// Group is the key of a comparison: workload and parameters. Cases of one group are verified
// against each other and interleaved.
func (c *Case) Group() string {
	p := c.Params
	return fmt.Sprintf("%s/size=%d/iters=%d/threads=%d/seed=%d", c.Workload.Name, p.Size, p.Iters, p.Threads, p.Seed)
}

// Name is the benchmark name in samples.bench, without the "Benchmark" prefix:
// "Hello/impl=c-std", "Matmul/impl=go-naive/size=512/threads=1". Parameters that the
// workload's profile does not vary are left out.
func (c *Case) Name() string {
	var b strings.Builder
	b.WriteString(c.Workload.Title)
	b.WriteString("/impl=")
	b.WriteString(c.Impl.ID())
	if c.Workload.Name == "matmul" || c.Workload.Name == "ffi" {
		fmt.Fprintf(&b, "/size=%d/threads=%d", c.Params.Size, c.Params.Threads)
	}
	return b.String()
}

// ID is a file-name-safe unique name of the case, used for its log files.
func (c *Case) ID() string {
	return strings.NewReplacer("/", "_", "=", "-").Replace(c.Name())
}

// Server workloads write several kinds of samples per case; these name them. The case itself
// is named by Name ("Echo/impl=go-std").

// StartupName names a server's warm start-up samples: "EchoStartup/impl=go-std".
func StartupName(impl string) string { return "EchoStartup/impl=" + impl }

// ColdStartName names its start-up samples taken with the page cache dropped.
func ColdStartName(impl string) string { return StartupName(impl) + "/cache=cold" }

// LoadName names its samples at one load level: "EchoLoad/impl=go-std/rate=max".
func LoadName(impl, rate string) string { return "EchoLoad/impl=" + impl + "/rate=" + rate }

// ServerCaseName is the case a server sample belongs to: "Echo/impl=go-std".
func ServerCaseName(impl string) string { return "Echo/impl=" + impl }

// Args is the peer's command line, after the binary.
func (c *Case) Args() []string {
	p := c.Params
	args := []string{
		"--variant", c.Impl.Variant,
		"--size", fmt.Sprint(p.Size), "--iters", fmt.Sprint(p.Iters),
		"--threads", fmt.Sprint(p.Threads), "--seed", fmt.Sprint(p.Seed),
	}
	if c.Hiccup {
		args = append(args, "--hiccup")
	}
	return args
}

// Expect is what the case's result line must say.
func (c *Case) Expect() peer.Expect {
	return peer.Expect{Workload: c.Workload.Name, Lang: c.Impl.Lang, Variant: c.Impl.Variant, Params: c.Params, Hiccup: c.Hiccup}
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
		c.Impl.Binary = NativePath(c.Impl.Binary)
	}
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
		{"c", "std", cBin("hello")},
		{"go", "std", goBin("hello")},
		{"rust", "std", rustBin("hello")},
	},
}

// Matmul is dense float64 matrix multiply.
var Matmul = &Workload{
	Name: "matmul", Title: "Matmul",
	Tolerance: peer.Tolerance{Rel: 1e-9, Abs: 1e-6},
	Impls: []Impl{
		{"c", "naive", cBin("matmul")},
		{"c", "openblas", cBin("matmul")},
		{"go", "naive", goBin("matmul")},
		{"go", "gonum", goBin("matmul")},
		{"rust", "naive", rustBin("matmul")},
		{"rust", "faer", rustBin("matmul")},
	},
}

// FFI is the cost of a trivial C call.
var FFI = &Workload{
	Name: "ffi", Title: "FFI",
	Impls: []Impl{
		{"c", "plain", cBin("ffi")},
		{"go", "plain", goBin("ffi")},
		{"go", "cgo", goBin("ffi")},
		{"rust", "plain", rustBin("ffi")},
		{"rust", "ffi", rustBin("ffi")},
	},
}

// Echo is the HTTP echo service.
var Echo = &Workload{
	Name: "echo", Title: "Echo", Server: true,
	Checksum: "3000e56026044164", // FNV-1a 64 of "echo"
	Impls: []Impl{
		{"go", "std", goBin("echo")},
		{"go", "fasthttp", goBin("echo")},
		{"rust", "axum", rustBin("echo")},
		{"rust", "hyper", rustBin("echo")},
	},
}

// Workloads lists every workload the harness knows, in run order.
var Workloads = []*Workload{Hello, Matmul, FFI, Echo}

// Profiles are the named run sizes.
var Profiles = []string{"smoke", "quick", "full"}

// Plan returns the cases of a profile, restricted to the named workloads and implementation
// IDs when those are non-empty. cpus is how many CPUs the machine has (the "all CPUs" thread
// count). Unknown names are an error that lists the known ones.
func Plan(profile string, workloads, impls []string, cpus int) ([]*Case, error) {
	if !slices.Contains(Profiles, profile) {
		return nil, fmt.Errorf("unknown profile %q (have %s)", profile, strings.Join(Profiles, ", "))
	}
	known := map[string]bool{}
	knownImpls := map[string]bool{}
	for _, w := range Workloads {
		known[w.Name] = true
		for _, i := range w.Impls {
			knownImpls[i.ID()] = true
			knownImpls[i.Lang] = true
		}
	}
	for _, w := range workloads {
		if !known[w] {
			return nil, fmt.Errorf("unknown workload %q (have %s)", w, strings.Join(names(), ", "))
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
		for _, c := range casesOf(w, profile, cpus) {
			if len(impls) > 0 && !slices.Contains(impls, c.Impl.ID()) && !slices.Contains(impls, c.Impl.Lang) {
				continue
			}
			cases = append(cases, c)
		}
	}
	return cases, nil
}

func names() []string {
	var out []string
	for _, w := range Workloads {
		out = append(out, w.Name)
	}
	return out
}

func pickIndex(profile string) int {
	switch profile {
	case "smoke":
		return 0
	case "quick":
		return 1
	}
	return 2
}

// casesOf is where each workload's parameters per profile are decided.
func casesOf(w *Workload, profile string, cpus int) []*Case {
	pick := func(smoke, quick, full int) int {
		switch profile {
		case "smoke":
			return smoke
		case "quick":
			return quick
		}
		return full
	}
	var out []*Case
	add := func(p peer.Params, warmup, repeat int, timeout time.Duration, hiccup bool) {
		for _, impl := range w.Impls {
			out = append(out, &Case{Workload: w, Impl: impl, Params: p, Warmup: warmup, Repeat: repeat, Timeout: timeout, Hiccup: hiccup})
		}
	}
	switch w.Name {
	case "hello":
		add(peer.Params{Iters: 1, Threads: 1, Seed: 1}, pick(2, 10, 20), pick(10, 200, 1000), 10*time.Second, false)
	case "matmul":
		sizes := map[string][]int64{"smoke": {64}, "quick": {128, 256, 512, 1024}, "full": {128, 256, 512, 1024, 2048}}[profile]
		threads := []int64{1}
		if cpus > 1 {
			threads = append(threads, int64(cpus))
		}
		for _, n := range sizes {
			// Enough multiplications that a run lasts tens of ms even at small sizes.
			iters := max(1, (int64(1)<<26)/(n*n*n))
			for _, t := range threads {
				add(peer.Params{Size: n, Iters: iters, Threads: t, Seed: 42}, 1, pick(3, 6, 10), 10*time.Minute, true)
			}
		}
	case "echo":
		plan := &LoadPlan{
			Settle:    []time.Duration{100 * time.Millisecond, 300 * time.Millisecond, 500 * time.Millisecond}[pickIndex(profile)],
			Cold:      pick(1, 6, 10),
			Conns:     32,
			Warmup:    []time.Duration{300 * time.Millisecond, 500 * time.Millisecond, 2 * time.Second}[pickIndex(profile)],
			Duration:  []time.Duration{time.Second, 2 * time.Second, 10 * time.Second}[pickIndex(profile)],
			Fractions: []float64{0.1, 0.5, 0.9}, Labels: []string{"low", "medium", "high"},
			// Six rounds give every load level a 95% interval; each round also measures the maximum again.
			Rounds: pick(1, 6, 10),
		}
		// One worker thread on one CPU: the load generator gets the others.
		for _, impl := range w.Impls {
			out = append(out, &Case{Workload: w, Impl: impl, Params: peer.Params{Size: 1024, Iters: 1, Threads: 1, Seed: 1},
				Warmup: 2, Repeat: pick(3, 20, 50), Timeout: 10 * time.Second, Load: plan})
		}
	case "ffi":
		add(peer.Params{Iters: int64(pick(1_000_000, 100_000_000, 300_000_000)), Threads: 1, Seed: 1}, 1, pick(3, 10, 20), 2*time.Minute, false)
	}
	return out
}
