package build

// WebAssembly: the report's "~100 KB vs Go several MB" (line 1251) sits under its WebAssembly
// heading (line 1222) and is about .wasm output, and lines 1236 and 1252 say Go's .wasm starts
// slower and Rust's performs better without a GC. So the build step also builds, for WASI
// preview 1 in both languages where the toolchain has the target, the hello peer (its size,
// as built and after wasm-strip, and its start-up) and two CPU kernels (binarytrees and
// spectralnorm: run time), and the runtime they run under (cmd/wasmrun, wazero). None of it
// is timed; none of it failing fails the build: the record then says why, with the command
// that installs what is missing.
//
// Go builds the ordinary peers (workloads/<name>) with GOOS=wasip1 GOARCH=wasm: the kit they
// use is portable Go (VmHWM reads /proc/self/status and reports -1 where there is none).
// Rust builds the ordinary peers (rustpeers/<name>/src/main.rs) against rustpeers/common
// through common/wasm.rs, the crate's modules without the server one, with rustc directly:
// rustup cannot fetch a wasm target here, and the rustc that ships one (Debian's 1.63 with
// libstd-rust-dev-wasm32) is older than the workspace's cargo manifests accept.

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/suite"
)

// WasmTarget is the target the wasm binaries are recorded under. Rust before 1.78 calls it
// wasm32-wasi; Go calls it GOOS=wasip1 GOARCH=wasm.
const WasmTarget = "wasm32-wasip1"

// WasmPeers are the peers built for WasmTarget.
var WasmPeers = []string{"hello", "binarytrees", "spectralnorm"}

// Install hints for a missing wasm toolchain or tool.
const (
	rustWasmInstall = "apt-get install rustc libstd-rust-dev-wasm32 lld-14 (Debian's rustc in /usr/bin, which ships a wasm32-wasi std; scripts/setup.sh does it), or rustup target add wasm32-wasip1"
	wasmStripHint   = "apt-get install wabt"
)

// BuildWasm builds the WASI runtime and the Go and Rust WasmPeers for WasmTarget, and
// measures the peers' sizes.
func BuildWasm(ctx context.Context, o Options) []results.BinaryRecord {
	fmt.Fprintf(o.Log, "== building the WASI runtime (%s) and the peers for %s\n", suite.WasmRuntime, WasmTarget)
	if err := run(ctx, o, nil, "go", "build", "-trimpath", "-o", suite.WasmRuntime, "./cmd/wasmrun"); err != nil {
		fmt.Fprintf(o.Log, "warning: %v: the wasm peers cannot run\n", err)
	}
	var out []results.BinaryRecord
	for _, name := range WasmPeers {
		out = append(out, wasmGo(ctx, o, name), wasmRust(ctx, o, name))
	}
	return out
}

func wasmGo(ctx context.Context, o Options, name string) results.BinaryRecord {
	path := suite.WasmModule("go", name)
	r := results.BinaryRecord{Lang: "go", Workload: name, Path: path, Target: WasmTarget,
		Command: []string{"go", "build", "-o", path, "./workloads/" + name}}
	env := []string{"GOOS=wasip1", "GOARCH=wasm"}
	v, err := output(ctx, o, nil, "go", "env", "GOVERSION")
	if err != nil {
		r.NotBuilt = err.Error() + "; install Go 1.21 or newer (it builds GOOS=wasip1 GOARCH=wasm)"
		return r
	}
	r.Toolchain = strings.TrimSpace(v) + " GOOS=wasip1 GOARCH=wasm"
	if err := run(ctx, o, env, r.Command...); err != nil {
		r.NotBuilt = err.Error()
		return r
	}
	measureWasm(o.Root, &r)
	return r
}

func wasmRust(ctx context.Context, o Options, name string) results.BinaryRecord {
	r := results.BinaryRecord{Lang: "rust", Workload: name, Path: suite.WasmModule("rust", name), Target: WasmTarget}
	rustc, target := wasmRustc(ctx, o)
	if rustc == "" {
		r.NotBuilt = "no rustc with a wasm32-wasip1 or wasm32-wasi standard library: " + rustWasmInstall
		return r
	}
	v, _ := output(ctx, o, nil, rustc, "-V")
	r.Toolchain = fmt.Sprintf("%s (%s, --target %s)", strings.TrimSpace(v), rustc, target)
	dir := filepath.Dir(r.Path)
	if err := os.MkdirAll(filepath.Join(o.Root, dir), 0o755); err != nil {
		r.NotBuilt = err.Error()
		return r
	}
	// What cargo's release profile passes: opt-level 3, no debug info of its own, and since
	// cargo 1.77 strip=debuginfo when debug is off, so std's debug info is not linked either.
	flags := []string{"--edition", "2021", "-C", "opt-level=3", "-C", "strip=debuginfo", "--target", target}
	lib := []string{rustc, "--crate-type", "rlib", "--crate-name", "common", "-o", dir + "/libcommon.rlib", "rustpeers/common/wasm.rs"}
	bin := []string{rustc, "--crate-type", "bin", "--crate-name", name, "--extern", "common=" + dir + "/libcommon.rlib",
		"-o", r.Path, "rustpeers/" + name + "/src/main.rs"}
	lib = append(lib, flags...)
	bin = append(bin, flags...)
	r.Command = append(append(append([]string{}, lib...), "&&"), bin...)
	if err := run(ctx, o, nil, lib...); err != nil {
		r.NotBuilt = err.Error() + "; " + rustWasmInstall
		return r
	}
	if err := run(ctx, o, nil, bin...); err != nil {
		r.NotBuilt = err.Error() + "; " + rustWasmInstall
		return r
	}
	measureWasm(o.Root, &r)
	if target != WasmTarget {
		r.Note = strings.TrimPrefix(r.Note+"; ", "; ") + target + " is rustc's earlier name of " + WasmTarget
	}
	return r
}

// wasmRustc finds a rustc whose sysroot has a WASI standard library: the one on PATH (rustup's,
// if its wasm32-wasip1 target was added), else Debian's /usr/bin/rustc. It returns the rustc
// and the target name it knows.
func wasmRustc(ctx context.Context, o Options) (string, string) {
	var candidates []string
	if p, err := exec.LookPath("rustc"); err == nil {
		candidates = append(candidates, p)
	}
	candidates = append(candidates, "/usr/bin/rustc")
	for _, rustc := range candidates {
		if _, err := os.Stat(rustc); err != nil {
			continue
		}
		sysroot, err := output(ctx, o, nil, rustc, "--print", "sysroot")
		if err != nil {
			continue
		}
		for _, target := range []string{"wasm32-wasip1", "wasm32-wasi"} {
			if _, err := os.Stat(filepath.Join(strings.TrimSpace(sysroot), "lib/rustlib", target, "lib")); err == nil {
				return rustc, target
			}
		}
	}
	return "", ""
}

// measureWasm records a built .wasm file's size and its size after wasm-strip (which drops
// every custom section: names, producers, any debug info).
func measureWasm(root string, r *results.BinaryRecord) {
	path := filepath.Join(root, r.Path)
	st, err := os.Stat(path)
	if err != nil {
		r.NotBuilt = fmt.Sprintf("%s was not built", r.Path)
		return
	}
	r.Bytes = st.Size()
	if _, err := exec.LookPath("wasm-strip"); err != nil {
		r.Note = "wasm-strip is not installed (" + wasmStripHint + "): stripped size not measured"
		return
	}
	tmp, err := os.CreateTemp("", "gorustbench-wasm-strip-")
	if err != nil {
		r.Note = err.Error()
		return
	}
	tmp.Close()
	defer os.Remove(tmp.Name())
	if out, err := exec.Command("wasm-strip", "-o", tmp.Name(), path).CombinedOutput(); err != nil {
		r.Note = fmt.Sprintf("wasm-strip %s: %v: %s", r.Path, err, strings.TrimSpace(string(out)))
		return
	}
	if st, err := os.Stat(tmp.Name()); err == nil {
		r.StrippedBytes = st.Size()
	}
}
