package main

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorustbench/gorustbench/bench/build"
	"github.com/gorustbench/gorustbench/bench/results"
)

// goHelloRoot is a repository root holding only the Go hello peer and its build record.
func goHelloRoot(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	rel := build.BinaryPath("go", "hello", false)
	if out, err := exec.Command("go", "build", "-o", filepath.Join(root, rel), "../../workloads/hello").CombinedOutput(); err != nil {
		t.Fatalf("building the Go hello: %v\n%s", err, out)
	}
	st, err := os.Stat(filepath.Join(root, rel))
	if err != nil {
		t.Fatal(err)
	}
	b := &results.Build{When: time.Now().UTC(), Languages: []results.BuildLang{{Lang: "go", Flags: "go build defaults"}},
		Binaries: []results.BinaryRecord{{Lang: "go", Workload: "hello", Path: rel, Bytes: st.Size()}}}
	if err := build.Save(root, b); err != nil {
		t.Fatal(err)
	}
	return root
}

// TestPrebuiltPeersAndPush packs a peer, runs it from the archive with no toolchain on PATH
// and the repository root elsewhere, and pushes the results to a stand-in Pushgateway.
func TestPrebuiltPeersAndPush(t *testing.T) {
	bin := harness(t)
	root := goHelloRoot(t)
	archive := filepath.Join(t.TempDir(), "peers.tar.gz")
	if _, stderr, code := runCLI(t, bin, "build", "--root", root, "--pack", archive, "--pack-only"); code != 0 {
		t.Fatalf("pack: exit %d: %s", code, stderr)
	}

	var mu sync.Mutex
	var pushes []string
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		pushes = append(pushes, r.Method+" "+r.URL.Path+" "+string(body))
		mu.Unlock()
	}))
	defer gw.Close()

	out := filepath.Join(t.TempDir(), "run")
	cmd := exec.Command(bin, "run", "--root", t.TempDir(), "--peers", archive, "--workloads", "hello", "--impls", "go",
		"--repeat", "3", "--pushgateway", gw.URL, "--out", out)
	cmd.Env = []string{"PATH=" + t.TempDir(), "HOME=" + t.TempDir()} // no go, cargo or cc
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("run --peers: %v\n%s%s", err, stdout.String(), stderr.String())
	}
	run, err := results.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if p := run.Manifest.Prebuilt; p == nil || p.ID == "" || p.Toolchains.Go == "" || !strings.HasSuffix(p.Source, "peers.tar.gz") {
		t.Errorf("the manifest does not say the peers were prebuilt: %+v", p)
	}
	if run.Manifest.Toolchains.Go != "missing" {
		t.Errorf("go was on PATH: %q", run.Manifest.Toolchains.Go)
	}
	report, _ := os.ReadFile(filepath.Join(out, "report.md"))
	if !strings.Contains(string(report), "**prebuilt**") {
		t.Errorf("report.md does not say the peers were prebuilt")
	}
	mu.Lock()
	defer mu.Unlock()
	if len(pushes) != 1 || !strings.HasPrefix(pushes[0], "PUT /metrics/job/gorustbench/") || !strings.Contains(pushes[0], "/run_id/"+run.Manifest.RunID) ||
		!strings.Contains(pushes[0], "gorustbench_result_median") {
		t.Errorf("pushes: %.300q", pushes)
	}
}

// TestMetricsDuringRun scrapes the endpoint while a run goes on.
func TestMetricsDuringRun(t *testing.T) {
	bin := harness(t)
	root := goHelloRoot(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "run", "--root", root, "--workloads", "hello", "--impls", "go", "--repeat", "100000",
		"--metrics-addr", addr, "--out", filepath.Join(t.TempDir(), "run"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	want := `gorustbench_sample_latest{benchmark="Hello/impl=go-std",impl="go-std",machine=`
	var body string
	for deadline := time.Now().Add(30 * time.Second); !strings.Contains(body, want); time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no sample on the endpoint after 30s; last scrape:\n%s\nstderr: %s", body, stderr.String())
		}
		if resp, err := http.Get("http://" + addr + "/metrics"); err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			body = string(b)
		}
	}
	for _, w := range []string{"gorustbench_run_planned_peer_runs{", "gorustbench_sample_bucket{", `phase="timed"`} {
		if !strings.Contains(body, w) {
			t.Errorf("scrape lacks %s", w)
		}
	}
	cmd.Process.Signal(syscall.SIGINT)
	var ee *exec.ExitError
	if err := cmd.Wait(); !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Errorf("exit after SIGINT: %v", err)
	}
}
