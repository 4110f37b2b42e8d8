package suite

import (
	"strconv"
	"strings"
	"sync"

	"github.com/gorustbench/gorustbench/bench/peer"
)

// MatmulAnswerMax is the largest n whose product the harness computes itself to verify the
// peers (n = 256: 16.7 million multiply-adds, tens of ms, once per set of parameters); above
// it the implementations of a group must agree with each other.
const MatmulAnswerMax = 256

var matmulAnswers sync.Map // peer.Params -> string

// matmulAnswer computes matmul's checksum in the harness, independently of every peer, for
// n <= MatmulAnswerMax (workloads/README.md, "matmul"): A then B from splitmix64 floats in
// [-1, 1), C = A x B by the naive loop, then the sum of C's entries in row-major order and
// C[idx_k] for k = 0..7. "" above MatmulAnswerMax. It does not depend on threads or iters.
func matmulAnswer(p peer.Params) string {
	n := int(p.Size)
	if n < 1 || n > MatmulAnswerMax {
		return ""
	}
	k := peer.Params{Size: p.Size, Seed: p.Seed}
	if v, ok := matmulAnswers.Load(k); ok {
		return v.(string)
	}
	state := p.Seed
	next := func() float64 {
		state += 0x9E3779B97F4A7C15
		z := state
		z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
		z = (z ^ (z >> 27)) * 0x94D049BB133111EB
		z ^= z >> 31
		return float64(z>>11)*(1.0/(1<<53))*2.0 - 1.0
	}
	a, b, c := make([]float64, n*n), make([]float64, n*n), make([]float64, n*n)
	for i := range a {
		a[i] = next()
	}
	for i := range b {
		b[i] = next()
	}
	for i := 0; i < n; i++ {
		ci := c[i*n : (i+1)*n]
		for kk := 0; kk < n; kk++ {
			aik, bk := a[i*n+kk], b[kk*n:(kk+1)*n]
			for j := range ci {
				ci[j] += aik * bk[j]
			}
		}
	}
	sum := 0.0
	for _, v := range c {
		sum += v
	}
	vals := []string{strconv.FormatFloat(sum, 'g', 17, 64)}
	for idx := range uint64(8) {
		vals = append(vals, strconv.FormatFloat(c[(idx*0x9E3779B97F4A7C15)%uint64(n*n)], 'g', 17, 64))
	}
	out := strings.Join(vals, " ")
	matmulAnswers.Store(k, out)
	return out
}
