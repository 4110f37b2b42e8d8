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
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gorustbench/gorustbench/bench/build"
	"github.com/gorustbench/gorustbench/bench/results"
)

// goHelloRoot is a repository root holding only the Go hello peer and its build record.
func goHelloRoot(t *testing.T) string { return goRoot(t, "hello") }

// goRoot is a repository root holding the default build of the Go peers of workloads, and
// its build record.
func goRoot(t *testing.T, workloads ...string) string {
	t.Helper()
	root := t.TempDir()
	b := &results.Build{When: time.Now().UTC(), Languages: []results.BuildLang{{Lang: "go", Flags: "go build defaults"}}}
	for _, w := range workloads {
		rel := build.BinaryPath("go", w, false)
		if out, err := exec.Command("go", "build", "-o", filepath.Join(root, rel), "../../workloads/"+w).CombinedOutput(); err != nil {
			t.Fatalf("building the Go %s: %v\n%s", w, err, out)
		}
		st, err := os.Stat(filepath.Join(root, rel))
		if err != nil {
			t.Fatal(err)
		}
		b.Binaries = append(b.Binaries, results.BinaryRecord{Lang: "go", Workload: w, Path: rel, Bytes: st.Size()})
	}
	if err := build.Save(root, b); err != nil {
		t.Fatal(err)
	}
	return root
}

// TestPackRunsWhatItHolds packs a default build into a folder (the harness lands beside the
// archive) and runs, from another folder with no toolchain on PATH, a kernel whose cases
// include the native build the pack lacks: those are left out and said, the run exits 0, and
// its export names the commit, the pack and the --machine name.
func TestPackRunsWhatItHolds(t *testing.T) {
	bin := harness(t)
	root := goRoot(t, "nbody")
	for _, args := range [][]string{{"init", "-q"}, {"add", "-A"}, {"-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "peers"}} {
		if out, err := exec.Command("git", append([]string{"-C", root}, args...)...).CombinedOutput(); err != nil {
			t.Skipf("git %v: %v %s", args, err, out)
		}
	}
	dist := t.TempDir()
	stdout, stderr, code := runCLI(t, bin, "build", "--root", root, "--pack", dist, "--pack-only")
	if code != 0 {
		t.Fatalf("pack: exit %d: %s", code, stderr)
	}
	archive := filepath.Join(dist, "gorustbench-peers-"+runtime.GOARCH+".tar.gz")
	if st, err := os.Stat(filepath.Join(dist, "gorustbench")); err != nil || st.Mode()&0o100 == 0 || !strings.Contains(stdout, "with the harness") {
		t.Fatalf("the harness is not beside the archive: %v\n%s", err, stdout)
	}
	if _, err := os.Stat(archive); err != nil {
		t.Fatal(err)
	}

	work := t.TempDir()
	cmd := exec.Command("./gorustbench", "run", "--peers", archive, "--profile", "smoke", "--workloads", "nbody", "--impls", "go",
		"--repeat", "1", "--machine", "bench-01", "--out", "run")
	cmd.Dir = work
	cmd.Env = []string{"PATH=" + t.TempDir(), "HOME=" + t.TempDir()} // no go, cargo or cc
	if err := os.Link(filepath.Join(dist, "gorustbench"), filepath.Join(work, "gorustbench")); err != nil {
		t.Fatal(err)
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("run --peers: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "left out 1 case(s) because the pack holds no native build: Nbody/impl=go-std/build=native/") {
		t.Errorf("the run does not say it left the native case out:\n%s", out)
	}
	run, err := results.Load(filepath.Join(work, "run"))
	if err != nil {
		t.Fatal(err)
	}
	if len(run.Manifest.Cases) != 1 || len(run.Manifest.Notes) != 1 || run.Manifest.GitCommit == "unknown" || run.Manifest.MachineName != "bench-01" {
		t.Errorf("manifest: cases %d, notes %q, commit %q, machine %q", len(run.Manifest.Cases), run.Manifest.Notes, run.Manifest.GitCommit, run.Manifest.MachineName)
	}
	prom, stderr, code := runCLI(t, bin, "export", "--format", "prom", filepath.Join(work, "run"))
	if code != 0 {
		t.Fatalf("export: %s", stderr)
	}
	want := `gorustbench_run_info{build="default",commit="` + run.Manifest.GitCommit + `",machine="bench-01",pack="` + run.Manifest.Prebuilt.ID +
		`",pack_commit="` + run.Manifest.Prebuilt.GitCommit + `"`
	if !strings.Contains(prom, want) || strings.Contains(prom, `commit="unknown"`) {
		t.Errorf("export lacks %s:\n%s", want, prom)
	}
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
		!strings.Contains(pushes[0], "gorustbench_result_median_seconds") {
		t.Errorf("pushes: %.300q", pushes)
	}
}

// TestMetricsDuringRun scrapes the endpoint while a run goes on.
func TestMetricsDuringRun(t *testing.T) {
	bin := harness(t)
	root := goHelloRoot(t)
	addr := freeAddr(t)
	cmd := exec.Command(bin, "run", "--root", root, "--workloads", "hello", "--impls", "go", "--repeat", "100000",
		"--metrics-addr", addr, "--machine", "bench-01", "--out", filepath.Join(t.TempDir(), "run"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	want := `gorustbench_sample_latest_seconds{build="default",cache="",capacity="",impl="go-std",kind="",lang="go",machine="bench-01",metric="exec",`
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
	for _, w := range []string{"gorustbench_run_peer_runs_planned{", "gorustbench_sample_seconds_bucket{", `step="timed"`} {
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

// TestMetricsGrace scrapes the endpoint after a short run ended: it keeps serving the final
// state for --metrics-grace.
func TestMetricsGrace(t *testing.T) {
	bin := harness(t)
	root := goHelloRoot(t)
	addr := freeAddr(t)
	cmd := exec.Command(bin, "run", "--root", root, "--workloads", "hello", "--impls", "go", "--repeat", "2",
		"--metrics-addr", addr, "--metrics-grace", "1m", "--out", filepath.Join(t.TempDir(), "run"))
	var stdout lockedBuffer
	cmd.Stdout = &stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	for deadline := time.Now().Add(60 * time.Second); !strings.Contains(stdout.String(), "serving the final figures"); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the run did not reach its grace period:\n%s", stdout.String())
		}
	}
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatalf("the endpoint closed with the run: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, w := range []string{`state="complete"} 1`, "gorustbench_run_peer_runs_started_total{"} {
		if !strings.Contains(string(body), w) {
			t.Errorf("the final scrape lacks %s:\n%s", w, body)
		}
	}
	cmd.Process.Signal(syscall.SIGINT) // ends the grace period
	if err := cmd.Wait(); err != nil {
		t.Errorf("exit after the grace period was cut short: %v", err)
	}
}

// lockedBuffer is a bytes.Buffer a child process writes while the test reads.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// freeAddr is a loopback address whose port was free a moment ago, for --metrics-addr.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
