package main

import (
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/gorustbench/gorustbench/bench/gate"
)

// The smallest slowdown detected with 90% power: per-round log ratios spread s, k rounds; the
// interval's near end must clear log(1+threshold) by (t(0.975) + t(0.9)) standard errors.
func TestMDE(t *testing.T) {
	logs := []float64{-0.1, 0, 0.1, 0} // standard deviation 0.0816
	o := gate.Options{Threshold: 0.05, Alpha: 0.05}
	// k=6: t(5, 0.975) = 2.5706, t(5, 0.9) = 1.4759; se = 0.0816/sqrt(6) = 0.03333.
	want := math.Exp(math.Log(1.05)+(2.5706+1.4759)*0.0816497/math.Sqrt(6)) - 1
	if got := mde(logs, 6, o); math.Abs(got-want) > 1e-4 {
		t.Errorf("mde = %.5f, want %.5f", got, want)
	}
	if mde(logs, 10, o) >= mde(logs, 6, o) {
		t.Errorf("more rounds must detect less")
	}
}

// The injected regression's wrapper runs the real C hello with the same arguments, after its
// burn; every other peer of the wrapped root is the original's.
func TestWrappedRoot(t *testing.T) {
	if _, err := exec.LookPath("cc"); err != nil {
		t.Skip("no C compiler")
	}
	root := t.TempDir()
	cbin := filepath.Join(root, "cpeers", "bin")
	if err := os.MkdirAll(cbin, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{"hello": "#!/bin/sh\necho real hello \"$@\"\n", "nbody": "#!/bin/sh\necho nbody\n"} {
		if err := os.WriteFile(filepath.Join(cbin, name), []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	wr, err := wrappedRoot(t.TempDir(), root, 2*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(filepath.Join(wr, "cpeers", "bin", "hello"), "--size", "3").CombinedOutput()
	if err != nil || string(out) != "real hello --size 3\n" {
		t.Errorf("wrapped hello: %v %q", err, out)
	}
	if dest, err := os.Readlink(filepath.Join(wr, "cpeers", "bin", "nbody")); err != nil || dest != filepath.Join(cbin, "nbody") {
		t.Errorf("nbody is not the original: %q %v", dest, err)
	}
}
