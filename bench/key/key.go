// Package key names measurements. A Key is one benchmark name of samples.bench — what was
// measured, by which implementation, with which parameters — and String and Parse are the
// only way gorustbench makes or reads those names, so the suite that plans a case, the runner
// that records it and the claims, report and charts that read it back always agree.
//
// A name is the benchmark's base, then key=value parts in a fixed order:
//
//	Matmul/impl=go-naive/size=512/threads=1
//	EchoLoad/impl=rust-hyper/rate=high
//	EchoStartup/impl=go-std/cache=cold
//	Build/lang=rust/kind=clean
//	Binary/lang=go/workload=hello
package key

import (
	"fmt"
	"strconv"
	"strings"
)

// Num is an integer parameter that may be absent from a name. Absent and zero differ:
// "size=0" is part of the FFI names, and hello's names have no size at all.
type Num struct {
	V   int64
	Set bool
}

// N is a present parameter.
func N(v int64) Num { return Num{V: v, Set: true} }

// Level is an HTTP load level: the closed-loop maximum, or an open-loop rate.
type Level string

// The load levels, in the order they run.
const (
	Max    Level = "max"    // closed loop: as fast as the server answers
	Low    Level = "low"    // open loop at a small fraction of the slowest server's maximum
	Medium Level = "medium" // open loop at half of it
	High   Level = "high"   // open loop near it
	// Stalls is an extra open-loop window at the medium rate with the hiccup meter running:
	// the meter's wake-ups cost CPU and scheduling, so the windows whose throughput, CPU or
	// latency are compared across languages run without it.
	Stalls Level = "stalls"
)

// Levels lists every load level; OpenLevels the open-loop ones.
var (
	Levels     = []Level{Max, Low, Medium, High, Stalls}
	OpenLevels = []Level{Low, Medium, High}
)

// Phase is the kind of sample a server workload records besides its case: start-ups and load
// windows. It is written as a suffix of the base ("EchoStartup").
type Phase string

const (
	Startup Phase = "Startup"
	Load    Phase = "Load"
)

var phases = []Phase{Startup, Load}

// Cold is the Cache value of start-ups taken with the page cache dropped.
const Cold = "cold"

// Key is one benchmark name.
type Key struct {
	Bench    string // the workload's title (Matmul, Echo) or Build, Binary
	Phase    Phase  // server workloads: Startup or Load samples of the case; "" for the case itself
	Impl     string // implementation ID: go-naive, rust-faer, c-openblas
	Build    string // "native" for the tuned build (-march=native etc.); "" for the ordinary one
	Lang     string // Build and Binary keys: the language
	Workload string // Binary keys: the workload the binary serves
	Kind     string // Build keys: clean or rebuild
	Shape    string // a workload's input shape (json: social, catalog, geo)
	Size     Num
	Workers  Num
	Capacity Num
	Threads  Num
	Level    Level  // Load samples: the load level ("rate=" in the name)
	Cache    string // Startup samples: "cold" when the page cache was dropped
}

// part is one key=value of a name, in the order names are written.
type part struct {
	name string
	str  func(*Key) *string
	num  func(*Key) *Num
}

var parts = []part{
	{name: "impl", str: func(k *Key) *string { return &k.Impl }},
	{name: "build", str: func(k *Key) *string { return &k.Build }},
	{name: "lang", str: func(k *Key) *string { return &k.Lang }},
	{name: "workload", str: func(k *Key) *string { return &k.Workload }},
	{name: "kind", str: func(k *Key) *string { return &k.Kind }},
	{name: "shape", str: func(k *Key) *string { return &k.Shape }},
	{name: "size", num: func(k *Key) *Num { return &k.Size }},
	{name: "workers", num: func(k *Key) *Num { return &k.Workers }},
	{name: "capacity", num: func(k *Key) *Num { return &k.Capacity }},
	{name: "threads", num: func(k *Key) *Num { return &k.Threads }},
	{name: "rate", str: func(k *Key) *string { return (*string)(&k.Level) }},
	{name: "cache", str: func(k *Key) *string { return &k.Cache }},
}

// String is the benchmark name without its "Benchmark" prefix.
func (k Key) String() string {
	var b strings.Builder
	b.WriteString(k.Bench)
	b.WriteString(string(k.Phase))
	for _, p := range parts {
		if p.str != nil {
			if v := *p.str(&k); v != "" {
				fmt.Fprintf(&b, "/%s=%s", p.name, v)
			}
		} else if n := *p.num(&k); n.Set {
			fmt.Fprintf(&b, "/%s=%d", p.name, n.V)
		}
	}
	return b.String()
}

// Parse reads a benchmark name (with or without the "Benchmark" prefix). A part it does not
// know, a part out of order or twice, or a number that does not parse is an error naming it.
func Parse(name string) (Key, error) {
	name = strings.TrimPrefix(name, "Benchmark")
	fields := strings.Split(name, "/")
	var k Key
	k.Bench = fields[0]
	if k.Bench == "" {
		return Key{}, fmt.Errorf("benchmark name %q has no base", name)
	}
	for _, ph := range phases {
		if base, ok := strings.CutSuffix(k.Bench, string(ph)); ok && base != "" {
			k.Bench, k.Phase = base, ph
		}
	}
	next := 0
	for _, f := range fields[1:] {
		n, v, ok := strings.Cut(f, "=")
		if !ok {
			return Key{}, fmt.Errorf("benchmark name %q: part %q is not key=value", name, f)
		}
		i := next
		for i < len(parts) && parts[i].name != n {
			i++
		}
		if i == len(parts) {
			return Key{}, fmt.Errorf("benchmark name %q: unknown or misplaced part %q", name, n)
		}
		next = i + 1
		p := parts[i]
		if p.str != nil {
			*p.str(&k) = v
			continue
		}
		x, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return Key{}, fmt.Errorf("benchmark name %q: %s=%q is not an integer", name, n, v)
		}
		*p.num(&k) = N(x)
	}
	return k, nil
}

// Case is the key of the case a sample belongs to: the sample's key without its phase, load
// level and cache state ("EchoLoad/impl=go-std/rate=max" belongs to "Echo/impl=go-std").
func (k Key) Case() Key {
	k.Phase, k.Level, k.Cache = "", "", ""
	return k
}

// Language is the key's Lang when it has one, else the language of its implementation ID
// ("go" of "go-naive").
func (k Key) Language() string {
	if k.Lang != "" {
		return k.Lang
	}
	lang, _, _ := strings.Cut(k.Impl, "-")
	return lang
}

// Startup is the key of a server case's start-up samples; cold ones carry cache=cold.
func (k Key) Startup(cold bool) Key {
	k.Phase, k.Level, k.Cache = Startup, "", ""
	if cold {
		k.Cache = Cold
	}
	return k
}

// AtLevel is the key of a server case's samples at one load level.
func (k Key) AtLevel(l Level) Key {
	k.Phase, k.Level, k.Cache = Load, l, ""
	return k
}

// BuildTime is the key of a language's build time: kind is clean or rebuild.
func BuildTime(lang, kind string) Key { return Key{Bench: "Build", Lang: lang, Kind: kind} }

// BinarySize is the key of the size of a language's binary for a workload.
func BinarySize(lang, workload string) Key {
	return Key{Bench: "Binary", Lang: lang, Workload: workload}
}
