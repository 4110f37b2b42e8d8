package main

import (
	"math"
	"testing"

	"github.com/gorustbench/gorustbench/workloads/peerkit"
	"gonum.org/v1/gonum/mat"
)

func inputs(n int) (a, b []float64) {
	rng := peerkit.NewSplitMix64(42)
	a, b = make([]float64, n*n), make([]float64, n*n)
	for i := range a {
		a[i] = rng.Float()
	}
	for i := range b {
		b[i] = rng.Float()
	}
	return a, b
}

// The naive loop, with any thread count, computes the same product as a textbook loop, and
// gonum agrees within the workload's tolerance.
func TestNaiveAndGonumAgree(t *testing.T) {
	const n = 37 // not a multiple of anything: uneven row blocks
	a, b := inputs(n)
	want := textbook(a, b, n)
	for _, threads := range []int{1, 2, 5, 64} {
		c := make([]float64, n*n)
		for i := range c {
			c[i] = 99 // a multiply computes C from zero
		}
		naive(a, b, c, n, threads)
		for i := range c {
			if math.Abs(c[i]-want[i]) > 1e-12 {
				t.Fatalf("threads %d: c[%d] = %v, want %v", threads, i, c[i], want[i])
			}
		}
	}
	c := make([]float64, n*n)
	mat.NewDense(n, n, c).Mul(mat.NewDense(n, n, a), mat.NewDense(n, n, b))
	for i := range c {
		if math.Abs(c[i]-want[i]) > 1e-9 {
			t.Fatalf("gonum c[%d] = %v, want %v", i, c[i], want[i])
		}
	}
	if checksum(c, n) == "" {
		t.Fatal("empty checksum")
	}
}

// Every variant this build has (naive and gonum; openblas too with -tags openblas) computes
// the textbook product from zero, within the workload's tolerance, at 1 and 2 threads.
func TestEveryVariantComputesTheProduct(t *testing.T) {
	const n = 37
	a, b := inputs(n)
	want := textbook(a, b, n)
	for name, mul := range multipliers {
		for _, threads := range []int{1, 2} {
			c := make([]float64, n*n)
			for i := range c {
				c[i] = 99
			}
			mul(a, b, c, n, threads)()
			for i := range c {
				if math.Abs(c[i]-want[i]) > 1e-9 {
					t.Fatalf("%s, %d threads: c[%d] = %v, want %v", name, threads, i, c[i], want[i])
				}
			}
		}
	}
}

// textbook is a x b by the definition, i-j-k.
func textbook(a, b []float64, n int) []float64 {
	c := make([]float64, n*n)
	for i := range n {
		for j := range n {
			for k := range n {
				c[i*n+j] += a[i*n+k] * b[k*n+j]
			}
		}
	}
	return c
}
