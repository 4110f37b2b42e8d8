// Command mandelbrot is the Go peer of the mandelbrot workload (workloads/README.md): the
// Mandelbrot set on [-1.5, 0.5] x [-1, 1] as an n x n PBM bitmap, 50 iterations per pixel;
// row y is computed by goroutine y mod threads.
package main

import (
	"fmt"
	"sync"

	"github.com/gorustbench/gorustbench/workloads/peerkit"
)

const warmupSize = 200

func main() {
	peerkit.Kernel{Name: "mandelbrot", DefaultSize: 200, MaxSize: 1 << 15, SizeWhat: "a width", WarmupSize: warmupSize, Run: run}.Main()
}

// run is the problem's program: the PBM header "P4\nn n\n", then n rows of ceil(n/8) bytes,
// the leftmost pixel in the high bit, 1 for a point in the set.
func run(n, threads int) []byte {
	out := fmt.Appendf(nil, "P4\n%d %d\n", n, n)
	rowBytes := (n + 7) / 8
	header := len(out)
	out = append(out, make([]byte, rowBytes*n)...)
	bits := out[header:]
	var wg sync.WaitGroup
	for t := range threads {
		wg.Go(func() {
			for y := t; y < n; y += threads {
				row(bits[y*rowBytes:(y+1)*rowBytes], y, n)
			}
		})
	}
	wg.Wait()
	return out
}

// row computes row y. Each product is converted to float64 explicitly: Go may otherwise fuse
// a multiply and an add into one FMA (it does with GOAMD64=v3), which rounds differently and
// moves pixels on the set's edge; C and Rust round every operation, as the checksum requires.
func row(dst []byte, y, n int) {
	ci := 2*float64(y)/float64(n) - 1
	for x := range n {
		cr := 2*float64(x)/float64(n) - 1.5
		var zr, zi, tr, ti float64
		for i := 0; i < 50 && tr+ti <= 4; i++ {
			zi = float64(2*zr*zi) + ci
			zr = tr - ti + cr
			tr = zr * zr
			ti = zi * zi
		}
		if tr+ti <= 4 {
			dst[x/8] |= 0x80 >> (x % 8)
		}
	}
}
