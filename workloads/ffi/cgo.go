package main

/*
#include <stdint.h>

// gorb_add is the workload's trivial C function, compiled by cgo at its default -O2.
uint64_t gorb_add(uint64_t a, uint64_t b) { return a + b; }
*/
import "C"

func cgoLoop(iters int64) uint64 {
	var acc C.uint64_t
	for i := range uint64(iters) {
		acc = C.gorb_add(acc, C.uint64_t(i))
	}
	return uint64(acc)
}
