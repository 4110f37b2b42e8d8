package peerkit

import (
	"math/bits"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

// HiccupInterval is how long the hiccup meter sleeps between wake-ups.
const HiccupInterval = time.Millisecond

// histBuckets covers latenesses up to 2^63 ns with 8 sub-buckets per power of two.
const histBuckets = (63-2)*8 + 8

// Histogram is the protocol's log-linear histogram of nanosecond values (PROTOCOL.md,
// "The hiccup meter"): exact below 8, then 8 sub-buckets per power of two.
type Histogram struct {
	counts [histBuckets]uint64
	count  uint64
	max    uint64
}

// histIndex maps v to its bucket.
func histIndex(v uint64) int {
	if v < 8 {
		return int(v)
	}
	e := 63 - bits.LeadingZeros64(v)
	return (e-2)*8 + int((v>>(e-3))&7)
}

// histUpper is the largest value that lands in bucket i.
func histUpper(i int) uint64 {
	if i < 8 {
		return uint64(i)
	}
	e := i/8 + 2
	m := uint64(i % 8)
	lower := (8 + m) << (e - 3)
	return lower + (1 << (e - 3)) - 1
}

// Record adds one value, in ns.
func (h *Histogram) Record(v uint64) {
	h.counts[histIndex(v)]++
	h.count++
	if v > h.max {
		h.max = v
	}
}

// Quantile is the upper bound of the smallest bucket whose cumulative count reaches
// ceil(q*count); 0 for an empty histogram.
func (h *Histogram) Quantile(q float64) uint64 {
	if h.count == 0 {
		return 0
	}
	target := uint64(q * float64(h.count))
	if float64(target) < q*float64(h.count) {
		target++
	}
	if target == 0 {
		target = 1
	}
	var cum uint64
	for i, c := range h.counts {
		cum += c
		if cum >= target {
			return histUpper(i)
		}
	}
	return h.max
}

// Hiccup is the summary the result line carries.
type Hiccup struct {
	IntervalNs, Count, P50Ns, P99Ns, P999Ns, MaxNs uint64
}

// HiccupMeter is the protocol's hiccup meter, built to be the same instrument as the C and
// Rust kits' meter thread: an OS thread of its own that sleeps in the kernel and is woken
// by the kernel. A plain goroutine would compete for the peer's GOMAXPROCS processors, so it
// would report the Go scheduler's own delays (a CPU-bound goroutine yields only at async
// preemption, about every 10 ms) as machine stalls, and its time.Sleep is woken by the
// runtime's timers, not by the kernel. So the meter
//   - locks its goroutine to an OS thread (runtime.LockOSThread);
//   - sleeps in the nanosleep system call (syscall.Syscall), woken by the kernel like the C
//     and Rust meters' threads, not by the runtime's timers;
//   - raises GOMAXPROCS by one while it runs (restored by Stop, recorded in the result line
//     as go.meter_procs), so that on waking it finds an idle P instead of queueing behind
//     the workload's goroutines on the Ps the workload asked for.
//
// Not syscall.RawSyscall, which would keep the P through the sleep: a goroutine in a raw
// system call cannot be stopped, and under net/http load that stalled the whole process for
// seconds. While the meter sleeps the runtime may lend its P to the workload; the harness
// pins a peer to --threads CPUs, so that adds no CPU, only one more runnable thread.
//
// Start it just before the timed region's clock, stop it just after.
type HiccupMeter struct {
	stop  atomic.Bool
	done  sync.WaitGroup
	hist  Histogram
	procs int // GOMAXPROCS before the meter raised it
}

// StartHiccupMeter raises GOMAXPROCS by one and starts the meter's thread.
func StartHiccupMeter() *HiccupMeter {
	m := &HiccupMeter{procs: runtime.GOMAXPROCS(0)}
	runtime.GOMAXPROCS(m.procs + 1)
	m.done.Add(1)
	go m.loop()
	return m
}

func (m *HiccupMeter) loop() {
	// Never unlocked: the thread exits with the goroutine.
	runtime.LockOSThread()
	defer m.done.Done()
	for !m.stop.Load() {
		before := time.Now()
		kernelSleep(HiccupInterval)
		late := time.Since(before) - HiccupInterval
		if late < 0 {
			late = 0
		}
		m.hist.Record(uint64(late))
	}
}

// Stop ends the meter and returns its summary.
func (m *HiccupMeter) Stop() Hiccup {
	m.stop.Store(true)
	m.done.Wait()
	runtime.GOMAXPROCS(m.procs)
	h := &m.hist
	return Hiccup{
		IntervalNs: uint64(HiccupInterval),
		Count:      h.count,
		P50Ns:      h.Quantile(0.50),
		P99Ns:      h.Quantile(0.99),
		P999Ns:     h.Quantile(0.999),
		MaxNs:      h.max,
	}
}
