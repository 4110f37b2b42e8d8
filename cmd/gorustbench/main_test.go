package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gorustbench/gorustbench/bench/claims"
	"github.com/gorustbench/gorustbench/bench/results"
	"github.com/gorustbench/gorustbench/bench/units"
)

// harness builds the CLI once per test binary.
func harness(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "gorustbench")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("building the CLI: %v\n%s", err, out)
	}
	return bin
}

func runCLI(t *testing.T, bin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var o, e bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return o.String(), e.String(), code
}

func TestBadInputIsOneLineAndNonZero(t *testing.T) {
	bin := harness(t)
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"run", "--profile", "bogus"}, 2, `gorustbench: unknown profile "bogus" (have smoke, quick, full)`},
		{[]string{"run", "--workloads", "nope"}, 2, `gorustbench: unknown workload "nope" (have hello, matmul, ffi, json, echo`},
		{[]string{"run", "--bogus"}, 2, "gorustbench: unknown flag: --bogus"},
		{[]string{"run", "--machine", "a/b"}, 2, `gorustbench: --machine "a/b": give a name without spaces or slashes`},
		{[]string{"run", "--metrics-addr", ":0", "--metrics-grace", "-1s", "--workloads", "hello", "--out", filepath.Join(t.TempDir(), "r")}, 2, "gorustbench: --metrics-grace -1s: give 0 or more"},
		{[]string{"report", filepath.Join(t.TempDir(), "absent")}, 1, "gorustbench: no results folder at"},
		{[]string{"report"}, 2, "gorustbench: report takes one results folder"},
	} {
		_, stderr, code := runCLI(t, bin, tc.args...)
		if code != tc.code || !strings.HasPrefix(stderr, tc.msg) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and one line starting %q", tc.args, code, stderr, tc.code, tc.msg)
		}
	}
}

func TestClaimsJSON(t *testing.T) {
	stdout, _, code := runCLI(t, harness(t), "claims", "--json")
	var got struct {
		Measurable []struct {
			ID   string `json:"id"`
			Rule string `json:"rule"`
		} `json:"measurable"`
	}
	if code != 0 || json.Unmarshal([]byte(stdout), &got) != nil || len(got.Measurable) != len(claims.Registry) || got.Measurable[0].Rule == "" {
		t.Fatalf("exit %d, %d claims: %.300s", code, len(got.Measurable), stdout)
	}
}

// TestInterruptLeavesValidFolder sends SIGINT, SIGTERM and SIGHUP (a closed terminal, issue 23)
// to a real run of the Go hello peer: each stops it the same way.
func TestInterruptLeavesValidFolder(t *testing.T) {
	bin := harness(t)
	root := t.TempDir()
	if out, err := exec.Command("go", "build", "-o", filepath.Join(root, "workloads/bin/hello"), "../../workloads/hello").CombinedOutput(); err != nil {
		t.Fatalf("building the Go hello: %v\n%s", err, out)
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP} {
		t.Run(sig.String(), func(t *testing.T) { interruptRun(t, bin, root, sig) })
	}
}

func interruptRun(t *testing.T, bin, root string, sig syscall.Signal) {
	out := filepath.Join(t.TempDir(), "out")
	var stderr bytes.Buffer
	cmd := exec.Command(bin, "run", "--root", root, "--workloads", "hello", "--impls", "go", "--repeat", "100000", "--out", out)
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until samples are on disk, then interrupt.
	deadline := time.Now().Add(20 * time.Second)
	for {
		if st, err := os.Stat(filepath.Join(out, "samples.bench")); err == nil && st.Size() > 2000 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("no samples after 20s; stderr: %s", stderr.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	cmd.Process.Signal(sig)
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("exit: %v, want 130; stderr: %s", err, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "gorustbench: interrupted: ") {
		t.Errorf("last stderr line %q", last)
	}
	run, err := results.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	n := len(run.Values("Hello/impl=go-std", units.Exec))
	if run.Manifest.State != results.StateInterrupted || n == 0 || n != run.Manifest.Samples {
		t.Errorf("state %s, %d samples, manifest says %d", run.Manifest.State, n, run.Manifest.Samples)
	}
	// And it can still be reported.
	if _, stderr, code := runCLI(t, bin, "report", out); code != 0 {
		t.Errorf("report of the interrupted run: exit %d %s", code, stderr)
	}
}

// TestHangupWithItsOutputGone: an ssh drop closes the pipe the harness writes its progress
// to, then sends SIGHUP. The write to the closed pipe must not kill the harness (SIGPIPE):
// the hang-up stops the run as an interrupt, and its samples stay.
func TestHangupWithItsOutputGone(t *testing.T) {
	bin := harness(t)
	root := t.TempDir()
	if out, err := exec.Command("go", "build", "-o", filepath.Join(root, "workloads/bin/hello"), "../../workloads/hello").CombinedOutput(); err != nil {
		t.Fatalf("building the Go hello: %v\n%s", err, out)
	}
	out := filepath.Join(t.TempDir(), "out")
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "run", "--root", root, "--workloads", "hello", "--impls", "go", "--repeat", "100000", "--calibrate", "off", "--out", out)
	cmd.Stdout, cmd.Stderr = pw, pw
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	buf := make([]byte, 4096)
	pr.Read(buf) // the run has started talking
	pr.Close()   // the terminal is gone
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if st, err := os.Stat(filepath.Join(out, "samples.bench")); err == nil && st.Size() > 2000 {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("no samples after 20s")
		}
	}
	cmd.Process.Signal(syscall.SIGHUP)
	err = cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("exit: %v, want 130", err)
	}
	run, err := results.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(run.Values("Hello/impl=go-std", units.Exec)); run.Manifest.State != results.StateInterrupted || n == 0 || n != run.Manifest.Samples {
		t.Errorf("state %s, %d samples, manifest says %d", run.Manifest.State, n, run.Manifest.Samples)
	}
}
