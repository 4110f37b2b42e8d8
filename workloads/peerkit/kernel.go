package peerkit

import (
	"fmt"
	"os"
	"runtime"
)

// Kernel is a CPU-kernel peer (workloads/README.md, "CPU kernels"): a program that builds its
// output in memory for a size N with some threads; its checksum is FNV-1a 64 of that output.
type Kernel struct {
	Name        string
	DefaultSize int64
	MaxSize     int64  // the largest --size; 0 for no bound
	SizeWhat    string // what --size is, for the usage line: "a depth", "an order"
	WarmupSize  int64  // the untimed warm-up run's size (or --size, if smaller)
	// Run is the program: its whole output for size n with threads goroutines.
	Run func(n, threads int) []byte
}

// Main runs the kernel as a peer: the protocol's flags (variant std; --size in [1, MaxSize]),
// GOMAXPROCS = --threads, one untimed warm-up run, then --iters timed runs, and the result
// line with the checksum of the last run's output.
func (k Kernel) Main() {
	p := Defaults("std")
	p.Size = k.DefaultSize
	p.Parse(os.Args[1:])
	p.RequireVariant("std")
	if p.Size < 1 || (k.MaxSize > 0 && p.Size > k.MaxSize) {
		bound := "at least 1"
		if k.MaxSize > 0 {
			bound = fmt.Sprintf("in [1, %d]", k.MaxSize)
		}
		Usage(fmt.Sprintf("--size: %s needs %s %s", k.Name, k.SizeWhat, bound))
	}
	runtime.GOMAXPROCS(int(p.Threads))
	threads := int(p.Threads)
	k.Run(int(min(p.Size, k.WarmupSize)), threads) // warm-up, untimed
	var out []byte
	r := Begin(&p)
	for range p.Iters {
		out = k.Run(int(p.Size), threads)
	}
	r.End()
	r.Report(k.Name, &p, p.Iters, FNV1a64(out))
}
