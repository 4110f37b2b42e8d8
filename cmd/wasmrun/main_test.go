package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The hello peer built for wasip1 runs under wasmrun as it does natively: its output, its
// result line, its exit code; a module that exits non-zero passes its code on.
func TestRunsAWasip1Module(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go toolchain to build a module")
	}
	dir := t.TempDir()
	mod := filepath.Join(dir, "hello.wasm")
	build := exec.Command("go", "build", "-o", mod, "../../workloads/hello")
	build.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building hello for wasip1: %v\n%s", err, out)
	}
	out, code := capture(t, mod, "--variant", "std")
	if code != 0 || !strings.HasPrefix(out, "hello, world\n") || !strings.Contains(out, `"checksum":"e60e7ee648829675","vmhwm_kib":-1`) {
		t.Errorf("exit %d, output %q", code, out)
	}
	if _, code := capture(t, mod, "--variant", "nope"); code != 2 {
		t.Errorf("a usage error in the module: exit %d, want its 2", code)
	}
	if _, code := capture(t, filepath.Join(dir, "missing.wasm")); code != 1 {
		t.Errorf("a missing module: exit %d, want 1", code)
	}
}

// capture runs the module with args and returns its standard output and exit code.
func capture(t *testing.T, mod string, args ...string) (string, int) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved, savedErr := os.Stdout, os.Stderr
	os.Stdout, os.Stderr = w, w
	code := run(mod, args)
	os.Stdout, os.Stderr = saved, savedErr
	w.Close()
	data, _ := io.ReadAll(r)
	r.Close()
	return string(data), code
}
