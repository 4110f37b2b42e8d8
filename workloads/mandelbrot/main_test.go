package main

import (
	"testing"

	"github.com/gorustbench/gorustbench/workloads/internal/kerneltest"
)

// The kernel itself gives the table's checksums with any number of goroutines.
func TestChecksums(t *testing.T) {
	kerneltest.Checksums(t, "mandelbrot", run, 1, 2, 5)
}

// The built peer speaks the protocol and refuses bad command lines.
func TestPeer(t *testing.T) { kerneltest.Peer(t, "mandelbrot") }
