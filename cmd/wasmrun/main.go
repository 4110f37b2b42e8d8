// Command wasmrun runs a WebAssembly module built for WASI preview 1 (wasm32-wasip1): the
// runtime the harness's wasm peers run under (bench/suite/wasm.go).
//
//	wasmrun MODULE.wasm [ARGS...]
//
// It is wazero (github.com/tetratelabs/wazero, pure Go) with its defaults: the module is
// compiled ahead of time to machine code on amd64 and arm64 (interpreted elsewhere) on every
// start, with no compilation cache, so a start-up includes compiling the module. The module
// gets this process's arguments (MODULE's base name as argv[0]), environment, standard
// streams, wall and monotonic clocks, nanosleep and the system's random source; no file
// system. It exits with the module's exit code, or 1 with a one-line reason (exit 2 for
// usage).
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
	"github.com/tetratelabs/wazero/sys"
)

func main() {
	if len(os.Args) < 2 || strings.HasPrefix(os.Args[1], "-") {
		fmt.Fprintln(os.Stderr, "usage: wasmrun MODULE.wasm [ARGS...]: runs a wasm32-wasip1 module under wazero")
		os.Exit(2)
	}
	os.Exit(run(os.Args[1], os.Args[2:]))
}

// run runs the module at path with args and returns its exit code.
func run(path string, args []string) int {
	ctx := context.Background()
	code, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(os.Stderr, "wasmrun: %v\n", err)
		return 1
	}
	rt := wazero.NewRuntime(ctx)
	defer rt.Close(ctx)
	wasi_snapshot_preview1.MustInstantiate(ctx, rt)
	cfg := wazero.NewModuleConfig().
		WithStdin(os.Stdin).WithStdout(os.Stdout).WithStderr(os.Stderr).
		WithArgs(append([]string{filepath.Base(path)}, args...)...).
		WithSysWalltime().WithSysNanotime().WithSysNanosleep().WithRandSource(rand.Reader)
	for _, kv := range os.Environ() {
		if k, v, ok := strings.Cut(kv, "="); ok {
			cfg = cfg.WithEnv(k, v)
		}
	}
	if _, err := rt.InstantiateWithConfig(ctx, code, cfg); err != nil {
		var exit *sys.ExitError
		if errors.As(err, &exit) {
			return int(exit.ExitCode())
		}
		fmt.Fprintf(os.Stderr, "wasmrun: %s: %v\n", path, err)
		return 1
	}
	return 0
}
