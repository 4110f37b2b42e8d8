package suite

import (
	"path/filepath"
	"time"

	"github.com/gorustbench/gorustbench/bench/peer"
	"github.com/gorustbench/gorustbench/bench/units"
)

// WebAssembly (claim wasm-go-vs-rust, report lines 1234-1236 and 1252): the hello peer and two
// CPU kernels built for WASI preview 1 in Go and Rust (bench/build/wasm.go), each run under
// the same WASI runtime, WasmRuntime (cmd/wasmrun: wazero, compiling each module ahead of time
// on every start, no cache). Start-up is the hello's exec-to-exit, which includes compiling
// the module; run time is the kernel's own timing of its runs, which does not. binarytrees
// allocates a tree per step (the collector's work); spectralnorm allocates nothing.
var (
	WasmHello = wasmWorkload(Hello, "WasmHello", func(p Profile) (peer.Params, int, int) {
		return peer.Params{Iters: 1, Threads: 1, Seed: 1}, Pick(p, 1, 2, 3), Pick(p, 5, 10, 20)
	})
	WasmBinarytrees = wasmWorkload(Binarytrees, "WasmBinarytrees", func(p Profile) (peer.Params, int, int) {
		return peer.Params{Size: Pick[int64](p, 10, 14, 16), Iters: 1, Threads: 1, Seed: 1}, 1, Pick(p, 3, 6, 10)
	})
	WasmSpectralnorm = wasmWorkload(Spectralnorm, "WasmSpectralnorm", func(p Profile) (peer.Params, int, int) {
		return peer.Params{Size: Pick[int64](p, 250, 1000, 1500), Iters: 1, Threads: 1, Seed: 1}, 1, Pick(p, 3, 6, 10)
	})
)

// WasmRuntime is the WASI runtime the wasm peers run under, relative to the root; the build
// step builds it from cmd/wasmrun.
const WasmRuntime = "workloads/bin/wasmrun"

// WasmModule is where a language's .wasm build of a workload's peer lands, relative to the
// root.
func WasmModule(lang, workload string) string {
	if lang == "go" {
		return "workloads/bin/wasm/" + workload + ".wasm"
	}
	return "rustpeers/target/wasm/" + workload + ".wasm"
}

// wasmWorkload is native's peers in Go and Rust, built for wasm32-wasip1 and run under
// WasmRuntime, named title; params gives a profile's parameters, warm-ups and timed runs.
func wasmWorkload(native *Workload, title string, params func(Profile) (peer.Params, int, int)) *Workload {
	var impls []Impl
	for _, lang := range []string{"go", "rust"} {
		impls = append(impls, Impl{Lang: lang, Variant: "std", Binary: WasmRuntime, Module: WasmModule(lang, native.Name), Build: "wasm"})
	}
	return &Workload{
		Name: "wasm-" + native.Name, Peer: native.Name, Title: title,
		Checksum: native.Checksum, Answer: native.Answer,
		Impls: impls,
		Named: native.Named,
		Cases: func(w *Workload, p Profile, _ int) []*Case {
			ps, warmup, repeat := params(p)
			return w.each(ps, warmup, repeat, 2*time.Minute, false)
		},
		Units:  []string{units.Exec, units.PerOp, units.User, units.Sys, units.PeakRSS},
		Claims: []string{"wasm-go-vs-rust"},
	}
}

// ModulePath is the case's WebAssembly module under root, "" for a native peer.
func (c *Case) ModulePath(root string) string {
	if c.Impl.Module == "" {
		return ""
	}
	return filepath.Join(root, c.Impl.Module)
}

// Argv is the peer's command line under root: its executable and its arguments (for a wasm
// peer, the runtime, then the module, then the peer's arguments).
func (c *Case) Argv(root string) (path string, args []string) {
	args = c.Args()
	if m := c.ModulePath(root); m != "" {
		args = append([]string{m}, args...)
	}
	return c.BinaryPath(root), args
}
