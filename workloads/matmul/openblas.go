//go:build openblas

package main

// The openblas variant: gonum's mat.Dense.Mul with gonum's netlib binding as its BLAS, which
// calls OpenBLAS's cblas_dgemm through cgo; OpenBLAS's threads follow OPENBLAS_NUM_THREADS,
// which the harness sets to the case's thread count. Only this build links libopenblas, so
// the ordinary matmul binary stays pure Go.

// #cgo LDFLAGS: -lopenblas
import "C"

import (
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/netlib/blas/netlib"
)

func init() {
	multipliers["openblas"] = func(a, b, c []float64, n, threads int) func() {
		blas64.Use(netlib.Implementation{})
		return gonumMul(a, b, c, n, threads)
	}
}
