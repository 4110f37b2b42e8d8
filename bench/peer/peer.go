// Package peer reads what a peer says about itself: the READY line of a server and the
// result line every peer prints last. The protocol is PROTOCOL.md beside this file; the
// functions here are its validators, and every error quotes the offending text.
package peer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Protocol is the version of PROTOCOL.md this package validates.
const Protocol = 1

// Params are the parameters a peer echoes back; they must equal what the harness passed.
type Params struct {
	Size    int64  `json:"size"`
	Iters   int64  `json:"iters"`
	Threads int64  `json:"threads"`
	Seed    uint64 `json:"seed"`
	// Workers and Capacity are echoed only by workloads that use them (fanout); absent is 0.
	Workers  int64 `json:"workers,omitempty"`
	Capacity int64 `json:"capacity,omitempty"`
}

// Hiccup summarises the hiccup meter: how late a thread sleeping 1 ms woke, in ns.
type Hiccup struct {
	IntervalNs uint64 `json:"interval_ns"`
	Count      uint64 `json:"count"`
	P50Ns      uint64 `json:"p50_ns"`
	P99Ns      uint64 `json:"p99_ns"`
	P999Ns     uint64 `json:"p999_ns"`
	MaxNs      uint64 `json:"max_ns"`
}

// GoRuntime holds the Go runtime's own facts over the timed region (Go peers only).
type GoRuntime struct {
	GOMAXPROCS     uint64 `json:"gomaxprocs"`
	GCCycles       uint64 `json:"gc_cycles"`
	GCPauses       uint64 `json:"gc_pauses"`
	GCPauseTotalNs uint64 `json:"gc_pause_total_ns"`
	GCPauseP50Ns   uint64 `json:"gc_pause_p50_ns"`
	GCPauseP99Ns   uint64 `json:"gc_pause_p99_ns"`
	GCPauseMaxNs   uint64 `json:"gc_pause_max_ns"`
}

// Phase is one named part of the timed region (optional field "phases").
type Phase struct {
	Ns         uint64 `json:"ns"`
	AllocBytes uint64 `json:"alloc_bytes"`
}

// Result is a validated result line.
type Result struct {
	Protocol  int        `json:"protocol"`
	Workload  string     `json:"workload"`
	Lang      string     `json:"lang"`
	Variant   string     `json:"variant"`
	Params    Params     `json:"params"`
	Ops       int64      `json:"ops"`
	ElapsedNs int64      `json:"elapsed_ns"`
	Checksum  string     `json:"checksum"`
	VmHWMKiB  int64      `json:"vmhwm_kib"`
	Hiccup    *Hiccup    `json:"hiccup,omitempty"`
	Go        *GoRuntime `json:"go,omitempty"`
	// Extra holds workload-defined measurements (footprint's RSS and phase times), each a
	// non-negative integer; decoding rejects anything else.
	Extra map[string]uint64 `json:"extra,omitempty"`
	// Optional: bytes allocated in the timed region, and its named phases (PROTOCOL.md).
	AllocBytes *uint64           `json:"alloc_bytes,omitempty"`
	Phases     map[string]*Phase `json:"phases,omitempty"`
}

// Expect is what the harness started, and so what the result line must name.
type Expect struct {
	Workload, Lang, Variant string
	Params                  Params
	Hiccup                  bool // --hiccup was passed: the hiccup object is required
	// NoPeak: the peer cannot read its peak memory (a WASI module has no /proc), so its
	// vmhwm_kib must be -1, the protocol's "not available".
	NoPeak bool
}

// MaxVmHWMKiB bounds a peer's reported peak memory: more than any machine this runs on,
// far less than what overflows when turned into bytes.
const MaxVmHWMKiB = 4 << 30

var required = []string{"protocol", "workload", "lang", "variant", "params", "ops", "elapsed_ns", "checksum", "vmhwm_kib"}

// LastLine returns the last non-empty line of out, without its newline.
func LastLine(out []byte) []byte {
	out = bytes.TrimRight(out, "\r\n")
	if i := bytes.LastIndexByte(out, '\n'); i >= 0 {
		out = out[i+1:]
	}
	return out
}

// ParseResult validates the last line of stdout against the protocol and what was expected.
func ParseResult(stdout []byte, want Expect) (Result, error) {
	line := LastLine(stdout)
	if len(line) == 0 {
		return Result{}, fmt.Errorf("no result line: stdout is empty")
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(line, &fields); err != nil {
		return Result{}, fmt.Errorf("result line is not a JSON object: %s", Quote(line))
	}
	for _, k := range required {
		if _, ok := fields[k]; !ok {
			return Result{}, fmt.Errorf("result line lacks %q: %s", k, Quote(line))
		}
	}
	var r Result
	dec := json.NewDecoder(bytes.NewReader(line))
	if err := dec.Decode(&r); err != nil {
		return Result{}, fmt.Errorf("result line has a field of the wrong type (%v): %s", err, Quote(line))
	}
	bad := func(format string, args ...any) (Result, error) {
		return Result{}, fmt.Errorf("result line %s: %s", fmt.Sprintf(format, args...), Quote(line))
	}
	switch {
	case r.Protocol != Protocol:
		return bad("speaks protocol %d, want %d", r.Protocol, Protocol)
	case r.Workload != want.Workload:
		return bad("names workload %q, want %q", r.Workload, want.Workload)
	case r.Lang != want.Lang:
		return bad("names lang %q, want %q", r.Lang, want.Lang)
	case r.Variant != want.Variant:
		return bad("names variant %q, want %q", r.Variant, want.Variant)
	case r.Params != want.Params:
		return bad("echoes params %+v, want %+v", r.Params, want.Params)
	case r.Ops < 1:
		return bad("has ops %d, want >= 1", r.Ops)
	case r.ElapsedNs < 0:
		return bad("has negative elapsed_ns %d", r.ElapsedNs)
	case r.Checksum == "":
		return bad("has an empty checksum")
	case want.NoPeak && r.VmHWMKiB != -1:
		return bad("has vmhwm_kib %d, want -1 (it cannot read its peak memory)", r.VmHWMKiB)
	case !want.NoPeak && (r.VmHWMKiB <= 0 || r.VmHWMKiB > MaxVmHWMKiB):
		return bad("has vmhwm_kib %d, want > 0 and <= %d (4 TiB)", r.VmHWMKiB, int64(MaxVmHWMKiB))
	case want.Hiccup && r.Hiccup == nil:
		return bad("lacks the hiccup object that --hiccup asks for")
	case want.Lang == "go" && r.Go == nil:
		return bad("lacks the go object every Go peer reports")
	}
	if _, ok := fields["phases"]; ok {
		if len(r.Phases) == 0 {
			return bad("has an empty phases object")
		}
		var ns, alloc uint64
		for name, ph := range r.Phases {
			if name == "" || ph == nil {
				return bad("has a phase without a name or value")
			}
			ns += ph.Ns
			alloc += ph.AllocBytes
		}
		if ns > uint64(r.ElapsedNs) {
			return bad("has phases of %d ns in all, more than elapsed_ns %d", ns, r.ElapsedNs)
		}
		if r.AllocBytes != nil && alloc > *r.AllocBytes {
			return bad("has phases allocating %d bytes in all, more than alloc_bytes %d", alloc, *r.AllocBytes)
		}
	}
	return r, nil
}

// ParseReady reads a server's "READY host:port" line; ok is false for any other line.
func ParseReady(line string) (addr string, ok bool) {
	rest, found := strings.CutPrefix(strings.TrimRight(line, "\r\n"), "READY ")
	if !found || rest == "" || strings.ContainsAny(rest, " \t") {
		return "", false
	}
	return rest, true
}

// Quote shortens text to at most 200 bytes and quotes it for an error message.
func Quote(text []byte) string {
	const max = 200
	if len(text) > max {
		return strconv.Quote(string(text[:max])) + "..."
	}
	return strconv.Quote(string(text))
}

// Tolerance says how two checksums of a workload must agree. The zero value means exact.
type Tolerance struct {
	Rel, Abs float64 // floating-point checksums: |a-b| <= Rel*max(|a|,|b|) + Abs per value
}

// Exact reports whether checksums must be equal as strings.
func (t Tolerance) Exact() bool { return t.Rel == 0 && t.Abs == 0 }

// SameChecksum compares two checksums of one workload; the error says how they differ.
func SameChecksum(a, b string, tol Tolerance) error {
	if tol.Exact() {
		if a != b {
			return fmt.Errorf("checksum %s != %s", a, b)
		}
		return nil
	}
	va, err := parseFloats(a)
	if err != nil {
		return err
	}
	vb, err := parseFloats(b)
	if err != nil {
		return err
	}
	if len(va) != len(vb) {
		return fmt.Errorf("checksum %q has %d values, %q has %d", a, len(va), b, len(vb))
	}
	for i := range va {
		diff := math.Abs(va[i] - vb[i])
		if !(diff <= tol.Rel*math.Max(math.Abs(va[i]), math.Abs(vb[i]))+tol.Abs) {
			return fmt.Errorf("checksum value %d differs: %.17g vs %.17g (|diff| %.3g beyond rel %g + abs %g); checksums %q and %q",
				i, va[i], vb[i], diff, tol.Rel, tol.Abs, a, b)
		}
	}
	return nil
}

func parseFloats(s string) ([]float64, error) {
	fields := strings.Fields(s)
	if len(fields) == 0 {
		return nil, fmt.Errorf("checksum %q has no values", s)
	}
	out := make([]float64, len(fields))
	for i, f := range fields {
		v, err := strconv.ParseFloat(f, 64)
		if err != nil {
			return nil, fmt.Errorf("checksum %q: value %q is not a number", s, f)
		}
		out[i] = v
	}
	return out, nil
}

// MaxOpsPerNs bounds a peer's reported pace: no operation of any workload takes less than a
// tenth of a nanosecond (a fraction of one CPU cycle), so more ops than ten per elapsed_ns
// mean a broken clock or a broken count.
const MaxOpsPerNs = 10

// CheckTime checks a result's timed region against what the harness measured from outside:
// the region lies inside the process, so elapsed_ns cannot exceed the time from exec to exit,
// and its ops must be plausible for its time (see MaxOpsPerNs). The peer's own clock is not
// believed beyond these bounds.
func CheckTime(r Result, execToExit time.Duration) error {
	if r.ElapsedNs > execToExit.Nanoseconds() {
		return fmt.Errorf("result line has elapsed_ns %d, longer than the %d ns the harness measured from exec to exit: the peer's clock is not believed", r.ElapsedNs, execToExit.Nanoseconds())
	}
	if r.Ops/MaxOpsPerNs > r.ElapsedNs || (r.Ops > 0 && r.ElapsedNs == 0) {
		return fmt.Errorf("result line has ops %d in elapsed_ns %d: more than %d operations per ns is not a measurement", r.Ops, r.ElapsedNs, MaxOpsPerNs)
	}
	return nil
}
