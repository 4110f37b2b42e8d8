// Command fanout is the Go peer of the fanout workload (workloads/README.md): one producer
// sends M numbers over a bounded channel to K workers, which mix each one and send the result
// over a second channel to one collector that sums them. Variants: chan (goroutines and
// channels, the idiom) and mutex (a sync.Mutex + sync.Cond bounded ring, for reference).
package main

import (
	"os"
	"runtime"
	"strconv"
	"sync"

	"github.com/gorustbench/gorustbench/workloads/peerkit"
)

func main() {
	p := peerkit.Defaults("chan")
	p.Size, p.Workers, p.Capacity = 100000, 4, 64
	p.Parse(os.Args[1:])
	p.RequireVariant("chan", "mutex")
	if p.Workers < 1 {
		peerkit.Usage("--workers: fanout needs at least 1 worker")
	}
	if p.Variant == "mutex" && p.Capacity < 1 {
		peerkit.Usage("--capacity: the mutex ring needs a capacity >= 1 (it has no rendezvous mode)")
	}
	if p.Size < 1 {
		peerkit.Usage("--size: fanout needs at least 1 message")
	}
	runtime.GOMAXPROCS(int(p.Threads))
	run := fanoutChan
	if p.Variant == "mutex" {
		run = fanoutMutex
	}
	m, seed, k, b := uint64(p.Size), p.Seed, int(p.Workers), int(p.Capacity)
	run(min(m, 10000), seed, k, b) // warm-up, untimed: stacks, heap and threads in place
	var sum uint64
	r := peerkit.Begin(&p)
	for range p.Iters {
		sum = run(m, seed, k, b)
	}
	r.End()
	r.Report("fanout", &p, p.Iters*p.Size, checksum(sum))
}

// work is the per-message computation: four rounds of splitmix64's step on the value.
func work(v uint64) uint64 {
	for range 4 {
		v += 0x9E3779B97F4A7C15
		v = (v ^ (v >> 30)) * 0xBF58476D1CE4E5B9
		v = (v ^ (v >> 27)) * 0x94D049BB133111EB
		v ^= v >> 31
	}
	return v
}

// checksum is FNV-1a 64 of the decimal sum.
func checksum(sum uint64) string {
	return peerkit.FNV1a64(strconv.AppendUint(nil, sum, 10))
}

// fanoutChan: a producer goroutine, k worker goroutines, the caller collects. Both channels
// have capacity b (0: unbuffered, a rendezvous).
func fanoutChan(m, seed uint64, k, b int) uint64 {
	in, out := make(chan uint64, b), make(chan uint64, b)
	go func() {
		for i := range m {
			in <- seed + i
		}
		close(in)
	}()
	var wg sync.WaitGroup
	for range k {
		wg.Go(func() {
			for v := range in {
				out <- work(v)
			}
		})
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	var sum uint64
	for v := range out {
		sum += v
	}
	return sum
}

// ring is a bounded FIFO guarded by one mutex, with condition variables for not-empty and
// not-full, closable by the sender.
type ring struct {
	mu                sync.Mutex
	notEmpty, notFull sync.Cond
	buf               []uint64
	head, n           int
	closed            bool
}

func newRing(capacity int) *ring {
	r := &ring{buf: make([]uint64, capacity)}
	r.notEmpty.L, r.notFull.L = &r.mu, &r.mu
	return r
}

func (r *ring) put(v uint64) {
	r.mu.Lock()
	for r.n == len(r.buf) {
		r.notFull.Wait()
	}
	r.buf[(r.head+r.n)%len(r.buf)] = v
	r.n++
	r.notEmpty.Signal()
	r.mu.Unlock()
}

// get returns the next value, or ok false once the ring is closed and empty.
func (r *ring) get() (v uint64, ok bool) {
	r.mu.Lock()
	for r.n == 0 && !r.closed {
		r.notEmpty.Wait()
	}
	if r.n == 0 {
		r.mu.Unlock()
		return 0, false
	}
	v = r.buf[r.head]
	r.head = (r.head + 1) % len(r.buf)
	r.n--
	r.notFull.Signal()
	r.mu.Unlock()
	return v, true
}

func (r *ring) close() {
	r.mu.Lock()
	r.closed = true
	r.notEmpty.Broadcast()
	r.mu.Unlock()
}

// fanoutMutex is fanoutChan with two rings in place of the channels.
func fanoutMutex(m, seed uint64, k, b int) uint64 {
	in, out := newRing(b), newRing(b)
	go func() {
		for i := range m {
			in.put(seed + i)
		}
		in.close()
	}()
	var wg sync.WaitGroup
	for range k {
		wg.Go(func() {
			for v, ok := in.get(); ok; v, ok = in.get() {
				out.put(work(v))
			}
		})
	}
	go func() {
		wg.Wait()
		out.close()
	}()
	var sum uint64
	for v, ok := out.get(); ok; v, ok = out.get() {
		sum += v
	}
	return sum
}
