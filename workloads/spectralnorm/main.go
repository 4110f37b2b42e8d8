// Command spectralnorm is the Go peer of the spectralnorm workload (workloads/README.md): the
// spectral norm of the infinite matrix A(i,j) = 1/((i+j)(i+j+1)/2 + i + 1) truncated to n x n,
// by 10 rounds of the power method on AtA; rows of each product split over goroutines.
package main

import (
	"math"
	"strconv"
	"sync"

	"github.com/gorustbench/gorustbench/workloads/peerkit"
)

const warmupSize = 100

func main() {
	peerkit.Kernel{Name: "spectralnorm", DefaultSize: 100, MaxSize: 1 << 24, SizeWhat: "an order", WarmupSize: warmupSize, Run: run}.Main()
}

// run is the problem's program: the norm printed with %.9f and a newline.
func run(n, threads int) []byte {
	u, v, tmp := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range u {
		u[i] = 1
	}
	for range 10 {
		mulAtAv(u, v, tmp, threads)
		mulAtAv(v, u, tmp, threads)
	}
	var vBv, vv float64
	for i := range v {
		vBv += u[i] * v[i]
		vv += v[i] * v[i]
	}
	out := strconv.AppendFloat(nil, math.Sqrt(vBv/vv), 'f', 9, 64)
	return append(out, '\n')
}

func a(i, j int) float64 {
	return 1 / float64((i+j)*(i+j+1)/2+i+1)
}

// mulAtAv sets out = At A v, using tmp for A v.
func mulAtAv(v, out, tmp []float64, threads int) {
	parallel(len(v), threads, func(lo, hi int) { mulAv(v, tmp, lo, hi) })
	parallel(len(v), threads, func(lo, hi int) { mulAtv(tmp, out, lo, hi) })
}

// mulAv sets rows [lo, hi) of out = A v.
func mulAv(v, out []float64, lo, hi int) {
	for i := lo; i < hi; i++ {
		sum := 0.0
		for j, vj := range v {
			sum += a(i, j) * vj
		}
		out[i] = sum
	}
}

// mulAtv sets rows [lo, hi) of out = At v.
func mulAtv(v, out []float64, lo, hi int) {
	for i := lo; i < hi; i++ {
		sum := 0.0
		for j, vj := range v {
			sum += a(j, i) * vj
		}
		out[i] = sum
	}
}

// parallel runs f over rows [0, n) split into `threads` contiguous blocks, one goroutine each.
func parallel(n, threads int, f func(lo, hi int)) {
	if threads == 1 {
		f(0, n)
		return
	}
	var wg sync.WaitGroup
	for t := range threads {
		lo, hi := t*n/threads, (t+1)*n/threads
		wg.Go(func() { f(lo, hi) })
	}
	wg.Wait()
}
