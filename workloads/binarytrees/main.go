// Command binarytrees is the Go peer of the binarytrees workload (workloads/README.md): the
// binary-trees problem, every node its own allocation from Go's garbage-collected heap; the trees
// of each depth are split into contiguous shares, one goroutine each.
package main

import (
	"fmt"
	"sync"

	"github.com/gorustbench/gorustbench/workloads/peerkit"
)

const (
	minDepth   = 4
	warmupSize = 10
)

type node struct {
	left, right *node
}

func main() {
	peerkit.Kernel{Name: "binarytrees", DefaultSize: 10, MaxSize: 30, SizeWhat: "a depth", WarmupSize: warmupSize, Run: run}.Main()
}

// bottomUp builds a perfect tree of the given depth (depth 0 is one node).
func bottomUp(depth int) *node {
	if depth <= 0 {
		return &node{}
	}
	return &node{bottomUp(depth - 1), bottomUp(depth - 1)}
}

// check counts the nodes.
func (n *node) check() int {
	if n.left == nil {
		return 1
	}
	return 1 + n.left.check() + n.right.check()
}

// run is the problem's program and its output lines.
func run(n, threads int) []byte {
	maxDepth := max(minDepth+2, n)
	out := fmt.Appendf(nil, "stretch tree of depth %d\t check: %d\n",
		maxDepth+1, bottomUp(maxDepth+1).check())
	longLived := bottomUp(maxDepth)
	for depth := minDepth; depth <= maxDepth; depth += 2 {
		iters := 1 << (maxDepth - depth + minDepth)
		checks := make([]int, threads)
		var wg sync.WaitGroup
		for t := range threads {
			lo, hi := t*iters/threads, (t+1)*iters/threads
			wg.Go(func() {
				for range hi - lo {
					checks[t] += bottomUp(depth).check()
				}
			})
		}
		wg.Wait()
		check := 0
		for _, c := range checks {
			check += c
		}
		out = fmt.Appendf(out, "%d\t trees of depth %d\t check: %d\n", iters, depth, check)
	}
	return fmt.Appendf(out, "long lived tree of depth %d\t check: %d\n", maxDepth, longLived.check())
}
