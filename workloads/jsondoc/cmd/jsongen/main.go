// Command jsongen writes one json workload document: jsongen SHAPE BYTES SEED OUT.
package main

import (
	"fmt"
	"os"
	"strconv"

	"github.com/gorustbench/gorustbench/workloads/jsondoc"
)

func main() {
	if len(os.Args) != 5 {
		fmt.Fprintln(os.Stderr, "usage: jsongen social|catalog|geo BYTES SEED OUT")
		os.Exit(2)
	}
	size, err1 := strconv.ParseInt(os.Args[2], 10, 64)
	seed, err2 := strconv.ParseUint(os.Args[3], 10, 64)
	if err1 != nil || err2 != nil || size < 0 {
		fmt.Fprintln(os.Stderr, "jsongen: BYTES and SEED must be non-negative integers")
		os.Exit(2)
	}
	f, err := os.Create(os.Args[4])
	if err == nil {
		err = jsondoc.Generate(f, os.Args[1], size, seed)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "jsongen: %v\n", err)
		os.Exit(1)
	}
}
