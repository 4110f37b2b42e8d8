package main

import "testing"

func TestLoopsAgree(t *testing.T) {
	for _, iters := range []int64{0, 1, 1000} {
		want := uint64(iters) * uint64(max(iters-1, 0)) / 2
		if got := plainLoop(iters); got != want {
			t.Errorf("plain %d: %d, want %d", iters, got, want)
		}
		if got := cgoLoop(iters); got != want {
			t.Errorf("cgo %d: %d, want %d", iters, got, want)
		}
	}
}
