// Command hello is the Go peer of the hello workload (workloads/README.md): it prints
// "hello, world" and the result line, and so measures what it costs a Go program to start.
package main

import (
	"os"

	"github.com/gorustbench/gorustbench/workloads/peerkit"
)

var line = []byte("hello, world\n")

func main() {
	p := peerkit.Defaults("std")
	p.Parse(os.Args[1:])
	p.RequireVariant("std")
	p.Hiccup = false // hello measures bare start-up: it accepts --hiccup and ignores it, in every language
	r := peerkit.BeginStartup(&p)
	if _, err := os.Stdout.Write(line); err != nil {
		peerkit.Fail(err)
	}
	r.End()
	r.Report("hello", &p, 1, peerkit.FNV1a64(line))
}
