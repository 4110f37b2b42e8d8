package suite

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"time"

	"github.com/gorustbench/gorustbench/bench/peer"
	"github.com/gorustbench/gorustbench/bench/units"
)

// Fanout is one producer, K workers and one collector over bounded channels
// (workloads/README.md): Go channels against Rust's crossbeam, flume, tokio (mpsc behind a
// Mutex, and flume's async API on tokio tasks) and std channels and a C pthread ring.
var Fanout = &Workload{
	Name: "fanout", Title: "Fanout",
	Impls: []Impl{
		{Lang: "c", Variant: "pthread", Binary: cBin("fanout")},
		{Lang: "go", Variant: "chan", Binary: goBin("fanout")},
		{Lang: "go", Variant: "mutex", Binary: goBin("fanout")},
		{Lang: "rust", Variant: "crossbeam", Binary: rustBin("fanout")},
		{Lang: "rust", Variant: "flume", Binary: rustBin("fanout")},
		{Lang: "rust", Variant: "tokio", Binary: rustBin("fanout")}, // mpsc, receiver behind a Mutex
		{Lang: "rust", Variant: "tokio-flume", Binary: rustBin("fanout")},
		{Lang: "rust", Variant: "std", Binary: rustBin("fanout")},
	},
	Named:  DimSize | DimWorkers | DimCapacity | DimThreads,
	Answer: fanoutAnswer,
	Cases: func(w *Workload, p Profile, cpus int) []*Case {
		all := int64(max(1, cpus))
		type shape struct{ m, k, b, t int64 }
		shapes := Pick(p,
			[]shape{{2000, 4, 64, all}},
			// K=4 with a moderate buffer on every CPU and on one; many workers on a
			// one-slot channel (where a blocked OS thread costs most).
			[]shape{{200_000, 4, 64, all}, {200_000, 4, 64, 1}, {10_000, 64, 1, all}},
			[]shape{{200_000, 1, 64, all}, {200_000, 4, 64, all}, {200_000, 4, 1024, all}, {200_000, 4, 64, 1},
				{50_000, 4, 1, all}, {50_000, 64, 1, all}, {200_000, 64, 64, all}, {200_000, 64, 1024, all}})
		var out []*Case
		for _, s := range shapes {
			out = append(out, w.each(peer.Params{Size: s.m, Iters: 1, Workers: s.k, Capacity: s.b, Threads: s.t, Seed: 1},
				1, Pick(p, 2, 6, 10), 2*time.Minute, false)...)
		}
		return out
	},
	Units:  []string{units.Exec, units.PerOp, units.User, units.Sys, units.PeakRSS, units.GCPauses, units.GCPauseMax, units.GCTotal},
	Claims: []string{"channel-throughput", "gc-pauses"},
}

// Footprint is the memory and time cost of N parked tasks: goroutines, tokio tasks, and OS
// threads in Rust and C.
var Footprint = &Workload{
	Name: "footprint", Title: "Footprint",
	Impls: []Impl{
		{Lang: "c", Variant: "pthread", Binary: cBin("footprint")},
		{Lang: "go", Variant: "goroutine", Binary: goBin("footprint")},
		{Lang: "rust", Variant: "tokio", Binary: rustBin("footprint")},
		{Lang: "rust", Variant: "thread", Binary: rustBin("footprint")},
	},
	Named: DimSize | DimThreads,
	// Every peer reports how many tasks parked: N.
	Answer: func(p peer.Params) string { return fnvHex(strconv.FormatInt(p.Size, 10)) },
	Cases: func(w *Workload, p Profile, cpus int) []*Case {
		all := int64(max(1, cpus))
		var out []*Case
		add := func(n int64, repeat int, impls ...string) {
			c := w.each(peer.Params{Size: n, Iters: 1, Threads: all, Seed: 1}, 1, repeat, 3*time.Minute, false)
			for _, x := range c {
				for _, id := range impls {
					if x.Impl.ID() == id {
						out = append(out, x)
					}
				}
			}
		}
		tasks := []string{"go-goroutine", "rust-tokio"}
		threads := []string{"c-pthread", "rust-thread"}
		switch p {
		case Smoke:
			add(1000, 2, append(tasks, threads...)...)
		case Quick:
			add(10_000, 6, threads...) // OS threads: this machine caps C near 32k, Rust near 16k
			add(100_000, 6, tasks...)
			add(1_000_000, 1, tasks...) // "a million are practical"
		default:
			add(1000, 5, threads...)
			add(10_000, 5, append(tasks, threads...)...)
			add(100_000, 5, tasks...)
			add(1_000_000, 3, tasks...)
		}
		return out
	},
	Units:  []string{units.Exec, units.PerOp, units.PeakRSS, units.RSSPerTask, units.SpawnPerTask, units.JoinPerTask, units.StackPerTask},
	Claims: []string{"goroutine-footprint", "gc-pauses"},
}

// fanoutAnswer computes the fan-out's checksum in the harness, independently of every peer:
// FNV-1a 64 of the decimal sum of work(seed+i) for i < M (workloads/README.md).
func fanoutAnswer(p peer.Params) string {
	var sum uint64
	for i := range uint64(p.Size) {
		v := p.Seed + i
		for range 4 {
			v += 0x9E3779B97F4A7C15
			v = (v ^ (v >> 30)) * 0xBF58476D1CE4E5B9
			v = (v ^ (v >> 27)) * 0x94D049BB133111EB
			v ^= v >> 31
		}
		sum += v
	}
	return fnvHex(strconv.FormatUint(sum, 10))
}

// fnvHex is FNV-1a 64 of s as 16 lowercase hex digits, the protocol's exact checksum.
func fnvHex(s string) string {
	h := fnv.New64a()
	h.Write([]byte(s))
	return fmt.Sprintf("%016x", h.Sum64())
}
