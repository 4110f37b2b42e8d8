// Command ffi is the Go peer of the ffi workload (workloads/README.md): the cost of calling
// a trivial C function through cgo, against a plain non-inlined Go call.
package main

import (
	"os"
	"strconv"

	"github.com/gorustbench/gorustbench/workloads/peerkit"
)

func main() {
	p := peerkit.Defaults("cgo")
	p.Iters = 100_000_000
	p.Parse(os.Args[1:])
	p.RequireVariant("cgo", "plain")
	loop := plainLoop
	if p.Variant == "cgo" {
		loop = cgoLoop
	}
	// One untimed warm-up operation (PROTOCOL.md): cgo's first call sets up the calling
	// thread; its result is kept in a global so that it is not discarded.
	warmSink = loop(1)
	r := peerkit.Begin(&p)
	acc := loop(p.Iters)
	r.End()
	r.Report("ffi", &p, p.Iters, peerkit.FNV1a64(strconv.AppendUint(nil, acc, 10)))
}

// warmSink holds the warm-up's result.
var warmSink uint64

//go:noinline
func add(a, b uint64) uint64 { return a + b }

func plainLoop(iters int64) uint64 {
	var acc uint64
	for i := range uint64(iters) {
		acc = add(acc, i)
	}
	return acc
}
