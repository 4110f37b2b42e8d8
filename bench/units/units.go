// Package units is the table of every unit gorustbench records or derives: its name in
// samples.bench, which direction is better, what may be assumed about its distribution, how a
// person reads it, and what it measures. samples.bench's Unit lines, the report, the charts and
// the regression gate all read this one table.
package units

import (
	"fmt"
	"math"
	"strings"
)

// Units written to samples.bench. Every constant has a row in the table below (a test reads
// this file to check it).
const (
	Exec       = "exec-ns"           // harness clock: just before exec to exit (batch) or READY (server)
	User       = "user-ns"           // user CPU time from wait4, whole process
	Sys        = "sys-ns"            // system CPU time from wait4, whole process
	PeakRSS    = "peak-RSS-B"        // VmHWM: the peer's own report at exit, or /proc read by the harness
	PerOp      = "ns/op"             // the peer's timed region divided by its ops
	HiccupP99  = "hiccup-p99-ns"     // hiccup meter: p99 lateness of a 1 ms sleep
	HiccupMax  = "hiccup-max-ns"     // hiccup meter: worst lateness
	HiccupP999 = "hiccup-p999-ns"    // hiccup meter: p99.9 lateness
	GCPauses   = "gc-pauses"         // Go: stop-the-world pauses in the timed region
	GCPauseMax = "gc-pause-max-ns"   // Go: longest pause (upper bucket bound)
	GCTotal    = "gc-pause-total-ns" // Go: pauses summed
	Build      = "build-ns"          // wall time of a build
	Binary     = "binary-B"          // size of a built executable as built
	Stripped   = "stripped-B"        // the same, after strip

	// footprint: from the peer's extra fields, per task parked.
	RSSPerTask   = "rss-B/task"      // (VmRSS parked - VmRSS before) / N
	SpawnPerTask = "spawn-ns/task"   // the spawn loop / N
	JoinPerTask  = "join-ns/task"    // release to all joined / N
	StackPerTask = "go-stack-B/task" // Go: /memory/classes/heap/stacks:bytes grown / N

	// json: per document, from the result line's phases, and the input the harness gave.
	DecodeNs    = "decode-ns/op"      // decode phase per document
	EncodeNs    = "encode-ns/op"      // encode phase per document
	AllocPerOp  = "alloc-B/op"        // bytes allocated in the timed region per operation
	DecodeAlloc = "decode-alloc-B/op" // bytes allocated while decoding one document
	EncodeAlloc = "encode-alloc-B/op" // bytes allocated while encoding one document
	InputBytes  = "input-B"           // the input file's size

	// Server workloads.
	First200     = "first200-ns"  // harness clock: just before exec to the first 200 from GET /health
	IdleRSS      = "idle-RSS-B"   // VmRSS read by the harness once the server has settled after READY
	Throughput   = "req/s"        // answered requests per second in the recorded window
	TargetRate   = "target-req/s" // the open-loop rate asked for
	LatP50       = "lat-p50-ns"   // open loop: from the scheduled send (coordinated omission corrected)
	LatP90       = "lat-p90-ns"
	LatP99       = "lat-p99-ns"
	LatP999      = "lat-p999-ns"
	LatMax       = "lat-max-ns"
	LatP99Uncorr = "lat-p99-uncorrected-ns"
	CPUPerReq    = "server-cpu-ns/req"   // server's schedstat run time over the window / requests answered
	ServerRSS    = "server-RSS-B"        // server's VmRSS at the end of the window
	Limited      = "loadgen-limited"     // 1 when the load generator, not the server, may have set the pace
	LagP999      = "loadgen-lag-p999-ns" // open loop: how late the generator sent, p99.9 (its own floor)
	Errors       = "errors"              // requests with no answer, and non-2xx answers
)

// Derived units: computed by the summary layer from recorded ones, never written.
const (
	CPU         = "cpu-ns"           // user + sys of one run
	CPUPerOp    = "cpu-ns/op"        // user + sys of one run / its operations
	DecodeMBps  = "decode-MB/s"      // json: input bytes / decode time, decimal MB
	EncodeMBps  = "encode-MB/s"      // json: input bytes / encode time, decimal MB
	RSSPerInput = "peak-RSS/input-B" // json: peak RSS / input bytes
	GFLOPS      = "GFLOPS"           // matmul: 2n³ / ns per multiply
)

// Better says which direction is an improvement.
type Better string

const (
	Lower  Better = "lower"
	Higher Better = "higher"
)

// Unit is one row of the table.
type Unit struct {
	Name    string
	Better  Better
	Assume  string // "exact" for values that do not vary (file sizes); "" assumes nothing
	Derived bool   // computed from other units, never in samples.bench
	Format  func(float64) string
	Doc     string
}

var table = []Unit{
	{Exec, Lower, "", false, Duration, "harness clock: just before exec to exit (batch) or to READY (server)"},
	{User, Lower, "", false, Duration, "user CPU time of the whole process (wait4)"},
	{Sys, Lower, "", false, Duration, "system CPU time of the whole process (wait4)"},
	{PeakRSS, Lower, "", false, Bytes, "peak resident memory: VmHWM from /proc, never rusage"},
	{PerOp, Lower, "", false, Duration, "the peer's own timed region divided by its operations"},
	{HiccupP99, Lower, "", false, Duration, "hiccup meter: 99th percentile of how late a 1 ms sleep woke"},
	{HiccupMax, Lower, "", false, Duration, "hiccup meter: the latest wake-up"},
	{HiccupP999, Lower, "", false, Duration, "hiccup meter: 99.9th percentile of how late a 1 ms sleep woke"},
	{GCPauses, Lower, "", false, Count, "Go: stop-the-world pauses in the timed region"},
	{GCPauseMax, Lower, "", false, Duration, "Go: longest stop-the-world pause (upper bound of its histogram bucket)"},
	{GCTotal, Lower, "", false, Duration, "Go: stop-the-world pauses summed (bucket midpoints)"},
	{Build, Lower, "", false, Duration, "wall time of a build"},
	{Binary, Lower, "exact", false, Bytes, "size of a built executable"},
	{Stripped, Lower, "exact", false, Bytes, "size of a built executable after strip"},
	{RSSPerTask, Lower, "", false, Bytes, "resident memory grown per parked task: (VmRSS parked - VmRSS before) / N"},
	{SpawnPerTask, Lower, "", false, Duration, "time to spawn one task (the spawn loop / N)"},
	{JoinPerTask, Lower, "", false, Duration, "time to wake and join one task (release to all joined / N)"},
	{StackPerTask, Lower, "", false, Bytes, "Go runtime's stack memory grown per parked goroutine"},
	{DecodeNs, Lower, "", false, Duration, "json: time to decode one document into typed structures"},
	{EncodeNs, Lower, "", false, Duration, "json: time to encode those structures back"},
	{AllocPerOp, Lower, "", false, Bytes, "bytes allocated in the timed region per operation"},
	{DecodeAlloc, Lower, "", false, Bytes, "json: bytes allocated decoding one document"},
	{EncodeAlloc, Lower, "", false, Bytes, "json: bytes allocated encoding one document"},
	{InputBytes, Lower, "exact", false, Bytes, "the size of the input file the harness gave the peer"},
	{First200, Lower, "", false, Duration, "harness clock: just before exec to the first 200 answer"},
	{IdleRSS, Lower, "", false, Bytes, "resident memory of a settled, idle server"},
	{Throughput, Higher, "", false, Rate, "answered requests per second"},
	{TargetRate, Higher, "", false, Rate, "the open-loop rate asked for"},
	{LatP50, Lower, "", false, Duration, "latency p50 from the scheduled send (coordinated omission corrected)"},
	{LatP90, Lower, "", false, Duration, "latency p90 from the scheduled send"},
	{LatP99, Lower, "", false, Duration, "latency p99 from the scheduled send"},
	{LatP999, Lower, "", false, Duration, "latency p99.9 from the scheduled send"},
	{LatMax, Lower, "", false, Duration, "worst latency from the scheduled send"},
	{LatP99Uncorr, Lower, "", false, Duration, "latency p99 from the actual send (not corrected)"},
	{CPUPerReq, Lower, "", false, Duration, "server CPU time (schedstat) per answered request"},
	{ServerRSS, Lower, "", false, Bytes, "server's resident memory at the end of a load window"},
	{Limited, Lower, "", false, Count, "1 when the load generator may have set the pace"},
	{LagP999, Lower, "", false, Duration, "open loop: how late the load generator sent its requests, p99.9"},
	{Errors, Lower, "", false, Count, "requests with no answer, and non-2xx answers"},
	{CPU, Lower, "", true, Duration, "user + system CPU time of one run"},
	{CPUPerOp, Lower, "", true, Duration, "the whole process's user + system CPU time (start-up and warm-up included) divided by the timed operations: an upper bound per operation"},
	{DecodeMBps, Higher, "", true, Float, "json: input megabytes (10^6 bytes) decoded per second"},
	{EncodeMBps, Higher, "", true, Float, "json: input megabytes (10^6 bytes) encoded per second"},
	{RSSPerInput, Lower, "", true, Float, "json: peak resident memory per byte of input"},
	{GFLOPS, Higher, "", true, Float, "matrix multiply: 2n³ floating-point operations per second, in billions"},
}

// Lookup returns the row of a unit.
func Lookup(name string) (Unit, bool) {
	for _, u := range table {
		if u.Name == name {
			return u, true
		}
	}
	return Unit{}, false
}

// All returns every row, recorded units first, in the table's order.
func All() []Unit { return append([]Unit(nil), table...) }

// Format renders a value of the named unit for a person; an unknown unit gets %.4g and its name.
func Format(unit string, v float64) string {
	if u, ok := Lookup(unit); ok {
		return u.Format(v)
	}
	return fmt.Sprintf("%.4g %s", v, unit)
}

// Duration formats nanoseconds: "1.34 ms", "812 µs".
func Duration(ns float64) string {
	switch {
	case math.IsNaN(ns):
		return "?"
	case ns >= 1e9:
		return fmt.Sprintf("%.3g s", ns/1e9)
	case ns >= 1e6:
		return fmt.Sprintf("%.3g ms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.3g µs", ns/1e3)
	}
	return fmt.Sprintf("%.3g ns", ns)
}

// Bytes formats a size in bytes with binary prefixes: "7.9 MiB".
func Bytes(b float64) string {
	switch {
	case math.IsNaN(b):
		return "?"
	case b >= 1<<30:
		return fmt.Sprintf("%.3g GiB", b/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.3g MiB", b/(1<<20))
	case b >= 1<<10:
		return fmt.Sprintf("%.3g KiB", b/(1<<10))
	}
	return fmt.Sprintf("%.0f B", b)
}

// Rate formats a per-second rate with SI prefixes: "60.3k req/s".
func Rate(v float64) string {
	return si(v) + " req/s"
}

// Count formats a count: "12", "1.2k".
func Count(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e4 {
		return fmt.Sprintf("%.0f", v)
	}
	return si(v)
}

// Float formats a plain number to three significant digits.
func Float(v float64) string { return fmt.Sprintf("%.3g", v) }

func si(v float64) string {
	switch a := math.Abs(v); {
	case math.IsNaN(v):
		return "?"
	case a >= 1e9:
		return trim(fmt.Sprintf("%.3g", v/1e9)) + "G"
	case a >= 1e6:
		return trim(fmt.Sprintf("%.3g", v/1e6)) + "M"
	case a >= 1e3:
		return trim(fmt.Sprintf("%.3g", v/1e3)) + "k"
	}
	return trim(fmt.Sprintf("%.3g", v))
}

func trim(s string) string { return strings.TrimSuffix(s, ".0") }
