package key

import (
	"strings"
	"testing"
)

func TestStringAndParse(t *testing.T) {
	for _, tc := range []struct {
		k    Key
		name string
	}{
		{Key{Bench: "Hello", Impl: "c-std"}, "Hello/impl=c-std"},
		{Key{Bench: "Matmul", Impl: "go-naive", Size: N(512), Threads: N(1)}, "Matmul/impl=go-naive/size=512/threads=1"},
		{Key{Bench: "FFI", Impl: "go-cgo", Size: N(0), Threads: N(1)}, "FFI/impl=go-cgo/size=0/threads=1"},
		{Key{Bench: "Echo", Impl: "go-std"}, "Echo/impl=go-std"},
		{Key{Bench: "Echo", Phase: Startup, Impl: "go-std"}, "EchoStartup/impl=go-std"},
		{Key{Bench: "Echo", Phase: Startup, Impl: "go-std", Cache: Cold}, "EchoStartup/impl=go-std/cache=cold"},
		{Key{Bench: "Echo", Phase: Load, Impl: "rust-hyper", Level: High}, "EchoLoad/impl=rust-hyper/rate=high"},
		{Key{Bench: "Build", Lang: "go", Kind: "clean"}, "Build/lang=go/kind=clean"},
		{Key{Bench: "Binary", Lang: "rust", Workload: "hello"}, "Binary/lang=rust/workload=hello"},
		{Key{Bench: "Nbody", Impl: "c-std", Build: "native", Size: N(1000), Threads: N(1)}, "Nbody/impl=c-std/build=native/size=1000/threads=1"},
		{Key{Bench: "JSON", Impl: "rust-serde", Shape: "geo", Size: N(16)}, "JSON/impl=rust-serde/shape=geo/size=16"},
		{Key{Bench: "Fanout", Impl: "go-chan", Size: N(100), Workers: N(4), Capacity: N(0), Threads: N(2)}, "Fanout/impl=go-chan/size=100/workers=4/capacity=0/threads=2"},
	} {
		if got := tc.k.String(); got != tc.name {
			t.Errorf("%#v.String() = %q, want %q", tc.k, got, tc.name)
		}
		back, err := Parse(tc.name)
		if err != nil || back != tc.k {
			t.Errorf("Parse(%q) = %#v, %v; want %#v", tc.name, back, err, tc.k)
		}
		if back, err := Parse("Benchmark" + tc.name); err != nil || back != tc.k {
			t.Errorf("Parse with the Benchmark prefix: %#v, %v", back, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"", "has no base"},
		{"Matmul/impl", "not key=value"},
		{"Matmul/colour=red", `unknown or misplaced part "colour"`},
		{"Matmul/threads=1/size=2", `misplaced part "size"`},
		{"Matmul/impl=a/impl=b", `misplaced part "impl"`},
		{"Matmul/size=big", `size="big" is not an integer`},
	} {
		_, err := Parse(tc.name)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Parse(%q) error %v, want it to say %q", tc.name, err, tc.want)
		}
	}
}

func TestCase(t *testing.T) {
	k := Key{Bench: "Echo", Phase: Load, Impl: "go-std", Level: Max}
	if got := k.Case().String(); got != "Echo/impl=go-std" {
		t.Errorf("Case() = %q", got)
	}
	if got := (Key{Impl: "rust-faer"}).Language(); got != "rust" {
		t.Errorf("Language() = %q", got)
	}
}
