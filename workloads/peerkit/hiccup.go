package peerkit

import (
	"math/bits"
	"sync"
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

// HiccupMeter runs a goroutine locked to nothing in particular that sleeps HiccupInterval
// in a loop and records how late it woke. Start it at the beginning of the timed region.
type HiccupMeter struct {
	stop chan struct{}
	done sync.WaitGroup
	hist Histogram
}

// StartHiccupMeter starts the meter.
func StartHiccupMeter() *HiccupMeter {
	m := &HiccupMeter{stop: make(chan struct{})}
	m.done.Add(1)
	go m.loop()
	return m
}

func (m *HiccupMeter) loop() {
	defer m.done.Done()
	for {
		select {
		case <-m.stop:
			return
		default:
		}
		before := time.Now()
		time.Sleep(HiccupInterval)
		late := time.Since(before) - HiccupInterval
		if late < 0 {
			late = 0
		}
		m.hist.Record(uint64(late))
	}
}

// Stop ends the meter and returns its summary.
func (m *HiccupMeter) Stop() Hiccup {
	close(m.stop)
	m.done.Wait()
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
