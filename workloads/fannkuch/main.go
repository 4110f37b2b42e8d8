// Command fannkuch is the Go peer of the fannkuch workload (workloads/README.md): the
// fannkuch-redux problem, every permutation of 0..n-1 in the problem's order, its pancake flips
// counted; the permutation indices are split into contiguous blocks, one goroutine each.
package main

import (
	"fmt"
	"sync"

	"github.com/gorustbench/gorustbench/workloads/peerkit"
)

const warmupSize = 7

func main() {
	peerkit.Kernel{Name: "fannkuch", DefaultSize: 7, MaxSize: 12, SizeWhat: "n", WarmupSize: warmupSize, Run: run}.Main()
}

// run is the problem's program: the checksum, then "Pfannkuchen(n) = maxflips".
func run(n, threads int) []byte {
	fact := make([]int, n+1)
	fact[0] = 1
	for i := 1; i <= n; i++ {
		fact[i] = fact[i-1] * i
	}
	total := fact[n]
	sums, maxes := make([]int, threads), make([]int, threads)
	var wg sync.WaitGroup
	for t := range threads {
		lo, hi := t*total/threads, (t+1)*total/threads
		wg.Go(func() { sums[t], maxes[t] = block(n, fact, lo, hi) })
	}
	wg.Wait()
	checksum, maxFlips := 0, 0
	for t := range threads {
		checksum += sums[t]
		maxFlips = max(maxFlips, maxes[t])
	}
	return fmt.Appendf(nil, "%d\nPfannkuchen(%d) = %d\n", checksum, n, maxFlips)
}

// block visits permutations [lo, hi) and returns their signed flip sum (+ for even indices,
// - for odd) and the largest flip count.
func block(n int, fact []int, lo, hi int) (checksum, maxFlips int) {
	if lo >= hi {
		return 0, 0
	}
	perm, count := make([]int, n), make([]int, n)
	// The permutation with index lo: its digits in the factorial base say how far to rotate
	// each prefix.
	for i := range perm {
		perm[i] = i
	}
	rest := lo
	for i := n - 1; i > 0; i-- {
		d := rest / fact[i]
		rest %= fact[i]
		count[i] = d
		for range d {
			rotate(perm[:i+1])
		}
	}
	flipped := make([]int, n)
	for idx := lo; ; idx++ {
		if perm[0] != 0 {
			copy(flipped, perm)
			flips := 0
			for k := flipped[0]; k != 0; k = flipped[0] {
				// Reverse the first k+1 by swapping the ends of a slice that shrinks from
				// both sides: the compiler then proves both indexes in bounds and the swap
				// loop has no bounds checks (i, j indexes kept two per swap).
				for f := flipped[:k+1]; len(f) > 1; f = f[1 : len(f)-1] {
					f[0], f[len(f)-1] = f[len(f)-1], f[0]
				}
				flips++
			}
			maxFlips = max(maxFlips, flips)
			if idx%2 == 0 {
				checksum += flips
			} else {
				checksum -= flips
			}
		}
		if idx+1 == hi {
			return checksum, maxFlips
		}
		// The next permutation: rotate the prefix of length i+1 left by one, carrying into
		// longer prefixes as the counters wrap.
		for i := 1; ; i++ {
			rotate(perm[:i+1])
			count[i]++
			if count[i] <= i {
				break
			}
			count[i] = 0
		}
	}
}

// rotate moves p's first element to its end.
func rotate(p []int) {
	first := p[0]
	copy(p, p[1:])
	p[len(p)-1] = first
}
