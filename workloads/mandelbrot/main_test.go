package main

import (
	"testing"

	"github.com/gorustbench/gorustbench/workloads/internal/kerneltest"
	"github.com/gorustbench/gorustbench/workloads/peerkit"
)

// The kernel itself gives the table's checksums with any number of goroutines.
func TestChecksums(t *testing.T) {
	for _, c := range kerneltest.Table(t, "mandelbrot") {
		var size int
		for _, d := range c.Size {
			size = size*10 + int(d-'0')
		}
		for _, threads := range []int{1, 2, 5} {
			if got := peerkit.FNV1a64(run(size, threads)); got != c.Checksum {
				t.Errorf("size %d threads %d: %s, want %s", size, threads, got, c.Checksum)
			}
		}
	}
}

// The built peer speaks the protocol and refuses bad command lines.
func TestPeer(t *testing.T) { kerneltest.Peer(t, "mandelbrot") }
