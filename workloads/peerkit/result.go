package peerkit

import (
	"bufio"
	"bytes"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strconv"
	"time"
)

// Region measures a peer's timed region: its own monotonic clock, the Go runtime's GC
// facts, and the hiccup meter when --hiccup was given. Begin it after the input is ready.
type Region struct {
	start   time.Time
	elapsed time.Duration
	meter   *HiccupMeter
	hiccup  *Hiccup
	before  []metrics.Sample
	gc      goFacts
	startup bool   // BeginStartup: no runtime/metrics, GC facts from debug.ReadGCStats
	extra   []byte // optional fields (SetPhases), inserted before the closing brace
	// Extra is the result line's optional "extra" object: names and non-negative integers,
	// in order. A workload that measures more than its timed region sets it before Report.
	Extra []KV
}

// KV is one entry of the result line's "extra" object.
type KV struct {
	Key   string
	Value uint64
}

type goFacts struct {
	gomaxprocs                               int
	meterProcs                               int // Ps added for the hiccup meter (0 or 1)
	cycles, pauses                           uint64
	pauseTotal, pauseP50, pauseP99, pauseMax uint64
}

const (
	metricPauses = "/sched/pauses/total/gc:seconds"
	metricCycles = "/gc/cycles/total:gc-cycles"
)

func readGCMetrics() []metrics.Sample {
	s := []metrics.Sample{{Name: metricPauses}, {Name: metricCycles}}
	metrics.Read(s)
	return s
}

// Begin starts the timed region.
func Begin(p *Params) *Region {
	r := &Region{before: readGCMetrics()}
	if p.Hiccup {
		r.meter = StartHiccupMeter()
	}
	r.start = time.Now()
	return r
}

// BeginStartup starts the timed region of a start-up workload (hello), measured from exec
// to exit: it reads no runtime/metrics (whose first read builds the runtime's metrics table,
// about 40 µs of a 1 ms start that no other language pays) and starts no hiccup meter. End
// then takes the GC facts from one debug.ReadGCStats (a few µs), counted since the process
// started (PROTOCOL.md, "Go runtime facts").
func BeginStartup(p *Params) *Region {
	r := &Region{startup: true}
	r.start = time.Now()
	return r
}

// End closes the timed region. Call it once, right after the last timed operation.
func (r *Region) End() {
	r.elapsed = time.Since(r.start)
	if r.meter != nil {
		h := r.meter.Stop()
		r.hiccup = &h
	}
	if r.startup {
		r.gc = gcSinceStart()
		return
	}
	after := readGCMetrics()
	r.gc = gcDelta(r.before, after)
	if r.meter != nil {
		r.gc.meterProcs = 1
	}
}

// gcSinceStart is the Go facts from debug.ReadGCStats: every collection since the process
// started, with the pause history it keeps (the last 256 pauses).
func gcSinceStart() goFacts {
	var s debug.GCStats
	debug.ReadGCStats(&s)
	f := goFacts{gomaxprocs: runtime.GOMAXPROCS(0), cycles: uint64(s.NumGC), pauses: uint64(len(s.Pause)), pauseTotal: uint64(s.PauseTotal)}
	if len(s.Pause) == 0 {
		return f
	}
	p := slices.Clone(s.Pause)
	slices.Sort(p)
	at := func(q float64) uint64 { return uint64(p[int(math.Ceil(q*float64(len(p))))-1]) }
	f.pauseP50, f.pauseP99, f.pauseMax = at(0.50), at(0.99), uint64(p[len(p)-1])
	return f
}

func gcDelta(before, after []metrics.Sample) goFacts {
	f := goFacts{gomaxprocs: runtime.GOMAXPROCS(0)}
	f.cycles = after[1].Value.Uint64() - before[1].Value.Uint64()
	hb, ha := before[0].Value.Float64Histogram(), after[0].Value.Float64Histogram()
	delta := make([]uint64, len(ha.Counts))
	for i := range ha.Counts {
		delta[i] = ha.Counts[i] - hb.Counts[i]
		f.pauses += delta[i]
	}
	if f.pauses == 0 {
		return f
	}
	// Buckets[i] and Buckets[i+1] bound Counts[i]; the outer bounds may be infinite.
	upper := func(i int) uint64 {
		u := ha.Buckets[i+1]
		if math.IsInf(u, 1) {
			u = ha.Buckets[i]
		}
		return uint64(u * 1e9)
	}
	total := 0.0
	for i, c := range delta {
		if c == 0 {
			continue
		}
		lo, hi := ha.Buckets[i], ha.Buckets[i+1]
		mid := lo
		if !math.IsInf(hi, 1) && !math.IsInf(lo, -1) {
			mid = (lo + hi) / 2
		} else if math.IsInf(lo, -1) {
			mid = 0
		}
		total += float64(c) * mid
		f.pauseMax = upper(i)
	}
	f.pauseTotal = uint64(total * 1e9)
	quantile := func(q float64) uint64 {
		target := uint64(math.Ceil(q * float64(f.pauses)))
		var cum uint64
		for i, c := range delta {
			cum += c
			if cum >= target && c > 0 {
				return upper(i)
			}
		}
		return f.pauseMax
	}
	f.pauseP50, f.pauseP99 = quantile(0.50), quantile(0.99)
	return f
}

// Elapsed is the timed region's duration (valid after End).
func (r *Region) Elapsed() time.Duration { return r.elapsed }

// Report prints the result line as the last line of stdout and flushes it.
// workload and variant name what ran; ops counts the operations in the timed region.
func (r *Region) Report(workload string, p *Params, ops int64, checksum string) {
	w := bufio.NewWriter(os.Stdout)
	line := ResultLine(workload, p, ops, r.elapsed, checksum, VmHWMKiB(), r.hiccup, &r.gc)
	if len(r.Extra) > 0 {
		keys, values := make([]string, len(r.Extra)), make([]uint64, len(r.Extra))
		for i, kv := range r.Extra {
			keys[i], values[i] = kv.Key, kv.Value
		}
		line = append(appendObject(line[:len(line)-2], "extra", keys, values), "}\n"...)
	}
	w.Write(withExtra(line, r.extra))
	if err := w.Flush(); err != nil {
		Fail(err)
	}
}

// withExtra inserts optional fields (",name":value...) before the line's closing "}\n".
func withExtra(line, extra []byte) []byte {
	if extra == nil {
		return line
	}
	return append(append(line[:len(line)-2:len(line)-2], extra...), "}\n"...)
}

// ResultLine formats the protocol's result line, newline included.
func ResultLine(workload string, p *Params, ops int64, elapsed time.Duration, checksum string, vmhwmKiB int64, h *Hiccup, g *goFacts) []byte {
	b := make([]byte, 0, 512)
	b = append(b, `{"protocol":1,"workload":`...)
	b = strconv.AppendQuote(b, workload)
	b = append(b, `,"lang":"go","variant":`...)
	b = strconv.AppendQuote(b, p.Variant)
	b = append(b, `,"params":{"size":`...)
	b = strconv.AppendInt(b, p.Size, 10)
	b = append(b, `,"iters":`...)
	b = strconv.AppendInt(b, p.Iters, 10)
	b = append(b, `,"threads":`...)
	b = strconv.AppendInt(b, p.Threads, 10)
	b = append(b, `,"seed":`...)
	b = strconv.AppendUint(b, p.Seed, 10)
	if p.Workers >= 0 {
		b = append(b, `,"workers":`...)
		b = strconv.AppendInt(b, p.Workers, 10)
	}
	if p.Capacity >= 0 {
		b = append(b, `,"capacity":`...)
		b = strconv.AppendInt(b, p.Capacity, 10)
	}
	b = append(b, `},"ops":`...)
	b = strconv.AppendInt(b, ops, 10)
	b = append(b, `,"elapsed_ns":`...)
	b = strconv.AppendInt(b, elapsed.Nanoseconds(), 10)
	b = append(b, `,"checksum":`...)
	b = strconv.AppendQuote(b, checksum)
	b = append(b, `,"vmhwm_kib":`...)
	b = strconv.AppendInt(b, vmhwmKiB, 10)
	if h != nil {
		b = appendObject(b, "hiccup", []string{"interval_ns", "count", "p50_ns", "p99_ns", "p999_ns", "max_ns"},
			[]uint64{h.IntervalNs, h.Count, h.P50Ns, h.P99Ns, h.P999Ns, h.MaxNs})
	}
	if g != nil {
		b = appendObject(b, "go", []string{"gomaxprocs", "gc_cycles", "gc_pauses", "gc_pause_total_ns", "gc_pause_p50_ns", "gc_pause_p99_ns", "gc_pause_max_ns"},
			[]uint64{uint64(g.gomaxprocs), g.cycles, g.pauses, g.pauseTotal, g.pauseP50, g.pauseP99, g.pauseMax})
		if g.meterProcs > 0 {
			// Inside the go object: drop its closing brace, add the field, close it again.
			b = append(b[:len(b)-1], `,"meter_procs":`...)
			b = strconv.AppendInt(b, int64(g.meterProcs), 10)
			b = append(b, '}')
		}
	}
	return append(b, "}\n"...)
}

func appendObject(b []byte, name string, keys []string, values []uint64) []byte {
	b = append(b, `,"`...)
	b = append(b, name...)
	b = append(b, `":{`...)
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, k...)
		b = append(b, `":`...)
		b = strconv.AppendUint(b, values[i], 10)
	}
	return append(b, '}')
}

// VmHWMKiB reads the peak resident set size from /proc/self/status, in KiB; -1 if unreadable.
func VmHWMKiB() int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range bytes.Split(data, []byte{'\n'}) {
		if rest, ok := bytes.CutPrefix(line, []byte("VmHWM:")); ok {
			fields := bytes.Fields(rest)
			if len(fields) > 0 {
				v, err := strconv.ParseInt(string(fields[0]), 10, 64)
				if err == nil {
					return v
				}
			}
		}
	}
	return -1
}
