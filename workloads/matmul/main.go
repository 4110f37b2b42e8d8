// Command matmul is the Go peer of the matmul workload (workloads/README.md): dense float64
// C = A x B with the naive i-k-j loop, or with gonum's mat.Dense.Mul (its pure-Go BLAS).
// Built with -tags openblas (workloads/bin/matmul-openblas) it also has the variant openblas:
// gonum's mat.Dense.Mul on OpenBLAS through gonum's netlib binding (cgo; openblas.go).
package main

import (
	"maps"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/gorustbench/gorustbench/workloads/peerkit"
	"gonum.org/v1/gonum/mat"
)

func main() {
	p := peerkit.Defaults("naive")
	p.Size, p.Seed = 256, 42
	p.Parse(os.Args[1:])
	p.RequireVariant(slices.Sorted(maps.Keys(multipliers))...)
	if p.Size < 1 {
		peerkit.Usage("--size must be at least 1 for matmul")
	}
	// gonum parallelises over GOMAXPROCS; the naive loop uses one goroutine per thread.
	runtime.GOMAXPROCS(int(p.Threads))
	n := int(p.Size)
	rng := peerkit.NewSplitMix64(p.Seed)
	a, b, c := make([]float64, n*n), make([]float64, n*n), make([]float64, n*n)
	for i := range a {
		a[i] = rng.Float()
	}
	for i := range b {
		b[i] = rng.Float()
	}
	multiply := multipliers[p.Variant](a, b, c, n, int(p.Threads))
	// One untimed warm-up multiply (PROTOCOL.md): it faults in c's pages and starts
	// gonum's workers, so the timed region holds only steady-state multiplies.
	multiply()
	r := peerkit.Begin(&p)
	for range p.Iters {
		multiply()
	}
	r.End()
	r.Report("matmul", &p, p.Iters, checksum(c, n))
}

// multipliers are the variants: each returns the multiply c = a x b of n x n row-major
// matrices with that many threads.
var multipliers = map[string]func(a, b, c []float64, n, threads int) func(){
	"naive": func(a, b, c []float64, n, threads int) func() { return func() { naive(a, b, c, n, threads) } },
	"gonum": gonumMul,
}

// gonumMul multiplies with mat.Dense.Mul, through whichever BLAS gonum's blas64 uses.
func gonumMul(a, b, c []float64, n, _ int) func() {
	ma, mb, mc := mat.NewDense(n, n, a), mat.NewDense(n, n, b), mat.NewDense(n, n, c)
	return func() { mc.Mul(ma, mb) }
}

// naive computes c = a x b with rows split into contiguous blocks, one goroutine each.
func naive(a, b, c []float64, n, threads int) {
	if threads == 1 {
		naiveRows(a, b, c, n, 0, n)
		return
	}
	var wg sync.WaitGroup
	for t := range threads {
		lo, hi := t*n/threads, (t+1)*n/threads
		wg.Go(func() { naiveRows(a, b, c, n, lo, hi) })
	}
	wg.Wait()
}

// naiveRows is the i-k-j loop for rows [lo, hi).
func naiveRows(a, b, c []float64, n, lo, hi int) {
	for i := lo; i < hi; i++ {
		ci := c[i*n : (i+1)*n]
		clear(ci)
		ai := a[i*n : (i+1)*n]
		for k, aik := range ai {
			bk := b[k*n : (k+1)*n]
			bk = bk[:len(ci)]
			for j := range ci {
				ci[j] += aik * bk[j]
			}
		}
	}
}

// checksum is the sum of all entries and eight sampled ones (workloads/README.md).
func checksum(c []float64, n int) string {
	sum := 0.0
	for _, v := range c {
		sum += v
	}
	vals := []string{strconv.FormatFloat(sum, 'g', -1, 64)}
	for k := range uint64(8) {
		idx := (k * 0x9E3779B97F4A7C15) % uint64(n*n)
		vals = append(vals, strconv.FormatFloat(c[idx], 'g', -1, 64))
	}
	return strings.Join(vals, " ")
}
