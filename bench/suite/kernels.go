package suite

import (
	"time"

	"github.com/gorustbench/gorustbench/bench/peer"
	"github.com/gorustbench/gorustbench/bench/units"
)

// The CPU kernels (workloads/README.md): five small programs written to the same published
// rules in Go, Rust and C, each in the ordinary and the native build, so cpu-vs-c is judged on
// the geometric mean of several kernels against C at -O2 and against C at its best.
var (
	Nbody        = kernel("nbody", "Nbody", 50_000, 2_000_000, 6_000_000)
	Spectralnorm = kernel("spectralnorm", "Spectralnorm", 250, 1500, 3000)
	Fannkuch     = kernel("fannkuch", "Fannkuch", 8, 10, 10)
	Mandelbrot   = kernel("mandelbrot", "Mandelbrot", 250, 2000, 3000)
	Binarytrees  = kernel("binarytrees", "Binarytrees", 10, 16, 17)
)

// Kernels lists the CPU kernels, in run order.
var Kernels = []*Workload{Nbody, Spectralnorm, Fannkuch, Mandelbrot, Binarytrees}

// kernel describes one CPU kernel: the std variant in each language, in both builds, at one
// size per profile, one thread (cpu-vs-c compares single-threaded code).
func kernel(name, title string, smoke, quick, full int64) *Workload {
	var impls []Impl
	for _, i := range []Impl{{Lang: "c", Variant: "std", Binary: cBin(name)}, {Lang: "go", Variant: "std", Binary: goBin(name)}, {Lang: "rust", Variant: "std", Binary: rustBin(name)}} {
		impls = append(impls, i, i.Native())
	}
	return &Workload{
		Name: name, Title: title,
		Impls: impls,
		Named: DimSize | DimThreads,
		Cases: func(w *Workload, p Profile, _ int) []*Case {
			return w.each(peer.Params{Size: Pick(p, smoke, quick, full), Iters: 1, Threads: 1, Seed: 1}, 1, Pick(p, 3, 6, 10), 5*time.Minute, false)
		},
		Units:  []string{units.Exec, units.PerOp, units.User, units.Sys, units.PeakRSS, units.GCPauses, units.GCPauseMax, units.GCTotal},
		Claims: []string{"cpu-vs-c", "go-resources", "gc-pauses"},
	}
}
